// Runs a command from the command palette as a user would: Ctrl+Shift+P, its title, Enter.

/** `title` without the category, e.g. 'Deploy Restore-Size Webhook' (the category "KubeVirt Storage" is added). */
export async function runCommand(page, title, category = 'KubeVirt Storage') {
  const full = `${category}: ${title}`;
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${full}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: full }).first().waitFor();
  await page.keyboard.press('Enter');
}
