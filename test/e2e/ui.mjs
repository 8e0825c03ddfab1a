// UI tests: what a user sees in the workbench, driven through the DOM with Playwright. Every wait is a
// condition with a deadline (Playwright's auto-waiting locators), never a fixed sleep.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { settled, workbench } from './lib/workbench.mjs';
import { claimsUiTests, writeClaimsScratch } from './uiClaims.mjs';
import { explorerUiTests } from './uiExplorer.mjs';
import { gcpImagesUiTests } from './uiGcpImages.mjs';
import { navigationUiTests } from './uiNavigation.mjs';
import { resizeUiTests } from './uiResize.mjs';
import { operationsUiTests, webhookUiTests } from './uiWebhook.mjs';

const exampleFile = 'restore-sizes.yaml';
const restoreSizeLine = 'storage: 55Gi';

/**
 * The UI tests, in order (later ones rely on the file the first opens). Each gets `{ page, shot, manifest,
 * workspace, cluster }`: `shot(name)` saves a screenshot and returns its path, `manifest` is the packaged
 * package.json, `cluster` the API emulator's lib/cluster.ts info (the explorer tests, last, read it).
 */
export const uiTests = [
  {
    name: 'the Problems panel lists restore-size-exceeded',
    async run({ page, shot }) {
      const wb = workbench(page);
      await wb.focusEditorArea();
      await wb.openFile(exampleFile);
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'restore-size-exceeded' });
      await rows.filter({ hasText: '59,055,800,320 bytes' }).first().waitFor();
      const text = (await rows.filter({ hasText: '59,055,800,320 bytes' }).first().innerText()).replace(/\s+/g, ' ');
      assert.match(text, /kubevirt-storage\W*restore-size-exceeded/); // shown as source(code)
      assert.equal(await rows.count(), 2, 'both restore-size-exceeded findings (55Gi and 60Gi) are listed');
      await shot('problems-panel');
    },
  },
  {
    name: 'hovering 55Gi shows 59,055,800,320 bytes',
    async run({ page, shot, workspace }) {
      const wb = workbench(page);
      // The snapshot's code lens moves the lines below it when it arrives: point only once it is there.
      await wb.goTo(join(workspace, exampleFile), 'kind: VolumeSnapshot');
      await page.locator('.monaco-editor .codelens-decoration', { hasText: 'restoreSize 50Gi' }).first().waitFor();
      await wb.goTo(join(workspace, exampleFile), restoreSizeLine);
      const point = await wb.pointAt(restoreSizeLine, '55Gi');
      await page.mouse.move(point.x, point.y);
      // "55Gi = … bytes" is our hover; the diagnostic's own text says "55Gi (… bytes)".
      const hover = page.locator('.monaco-hover', { hasText: '55Gi = 59,055,800,320 bytes' });
      await hover.first().waitFor({ state: 'visible' });
      await settled(hover.first());
      await shot('hover-55Gi');
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'Ctrl+. offers the restoreSize quick fix and applies it',
    async run({ page, shot, workspace }) {
      const wb = workbench(page);
      await wb.goTo(join(workspace, exampleFile), restoreSizeLine);
      const point = await wb.pointAt(restoreSizeLine, '55Gi');
      await page.mouse.click(point.x, point.y);
      await page.keyboard.press('Control+Period');
      const item = page.locator('.action-widget .monaco-list-row', { hasText: "Set the request to the snapshot's restoreSize (50Gi)" });
      await item.first().waitFor({ state: 'visible' });
      await settled(item.first());
      await shot('quick-fix-menu');
      // The menu focuses the preferred fix; a mouse click is swallowed by the context view's pointer block.
      await page.locator('.action-widget .monaco-list-row.focused', { hasText: "restoreSize (50Gi)" }).waitFor();
      await page.keyboard.press('Enter');
      await wb.viewLine(restoreSizeLine).waitFor({ state: 'detached' });
      await page.locator('.markers-panel .monaco-list-row', { hasText: '59,055,800,320 bytes' }).waitFor({ state: 'detached' });
      const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'restore-size-exceeded' });
      assert.equal(await rows.count(), 1, 'only the 60Gi finding is left');
      await shot('quick-fix-applied');
      await page.keyboard.press('Control+Z');
      await wb.viewLine(restoreSizeLine).waitFor();
    },
  },
  {
    name: 'the command palette lists every contributed command under "KubeVirt Storage"',
    async run({ page, shot, manifest }) {
      const wb = workbench(page);
      // A command whose commandPalette menu entry has a `when` clause may rightly be hidden here.
      const conditional = new Set((manifest.contributes?.menus?.commandPalette ?? []).filter((m) => m.when).map((m) => m.command));
      const commands = (manifest.contributes?.commands ?? []).filter((c) => !conditional.has(c.command));
      assert.ok(commands.length > 0, 'the package contributes commands for the palette');
      await page.keyboard.press('Control+Shift+P');
      await wb.quickInput.waitFor({ state: 'visible' });
      await wb.quickInput.fill('>KubeVirt Storage: ');
      for (const c of commands) {
        assert.equal(c.category, 'KubeVirt Storage', `${c.command} has the category`);
        await page.locator('.quick-input-list .monaco-list-row', { hasText: `KubeVirt Storage: ${c.title}` }).first().waitFor();
      }
      await shot('command-palette');
      await page.keyboard.press('Escape');
    },
  },
  ...navigationUiTests,
  ...explorerUiTests,
  ...webhookUiTests,
  ...operationsUiTests,
  ...claimsUiTests,
  ...resizeUiTests,
  // Last: it changes the emulator's PD classes (and undoes it at its end).
  ...gcpImagesUiTests,
];

/** Writes the files the UI tests open besides the examples (before code-server starts: it indexes them then). */
export function prepareUiWorkspace(workspace) {
  writeClaimsScratch(workspace);
}

/** Runs the UI tests in order; returns `[{ name, ok, error?, ms }]`. A failing test gets a screenshot too. */
export async function runUiTests({ page, url, workspace, manifest, screenshotsDir, log, cluster, resize, timeoutMs = 30_000 }) {
  page.setDefaultTimeout(timeoutMs);
  const results = [];
  const shot = async (name) => {
    const path = join(screenshotsDir, `ui-${name}.png`);
    await page.screenshot({ path });
    log(`screenshot: ${path}`);
    return path;
  };
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  for (const t of uiTests) {
    const started = Date.now();
    try {
      await t.run({ page, shot, manifest, workspace, cluster, resize });
      results.push({ name: t.name, ok: true, ms: Date.now() - started });
      log(`  ✔ ${t.name} (${Date.now() - started} ms)`);
    } catch (error) {
      results.push({ name: t.name, ok: false, error, ms: Date.now() - started });
      log(`  ✘ ${t.name}\n${String(error?.stack ?? error).replace(/^/gm, '      ')}`);
      await shot(`failed-${t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => {});
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
  return results;
}
