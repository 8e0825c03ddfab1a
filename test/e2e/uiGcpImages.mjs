// UI tests of the GCP golden-image checklist (webview/gcpImages/) on the UI run's emulator, seeded with a GCP
// golden-image setup (lib/cluster.ts `seedGcp`, CDI played): the seven steps with their state and what each
// applies; Dry Run through the conversation (the plan preview, then the diffs in the page, nothing written);
// Apply with the modal that names the context and the one golden-image snapshot it deletes; the live state
// after it; Verify; Undo with its modal, and the steps needed again. Every wait is a locator with a deadline.
import { strict as assert } from 'node:assert';
import { runCommand } from './lib/palette.mjs';
import { emulatorRequests, writesWithoutDryRun } from './lib/requests.mjs';

const title = 'KubeVirt Storage: GCP Golden Images';


/**
 * The checklist's page: the frame VS Code nests it in, found again after the page is rebuilt. Our extension's
 * webview only (its id is in the frame's URL): the webhook test's markdown preview is a webview too.
 */
const checklist = (page) => page.frameLocator('iframe.webview.ready[src*="extensionId=kubevirt-storage-tools.kubevirt-storage-tools"]').last().frameLocator('#active-frame');

/** Shows the checklist's tab again (the plan preview takes its place during a conversation). */
async function showChecklist(page) {
  await page.locator('.tabs-container .tab', { hasText: title }).click();
  await page.locator('.tabs-container .tab.active', { hasText: title }).waitFor();
}

async function states(frame) {
  const steps = frame.locator('vscode-collapsible[data-step]');
  await steps.nth(6).waitFor();
  return steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
}

export const gcpImagesUiTests = [
  {
    name: 'GCP Golden-Image Workaround: the checklist shows the seven steps, their state and reason, and what each applies',
    async run({ page, shot, cluster }) {
      // Out of any webview first (the webhook test's markdown preview may hold the focus, and keys typed into a
      // webview do not reach the command palette): the example the first UI test opened.
      await page.locator('.tabs-container .tab', { hasText: 'restore-sizes.yaml' }).first().click();
      await page.locator('.tabs-container .tab.active', { hasText: 'restore-sizes.yaml' }).waitFor();
      await runCommand(page, 'GCP Golden-Image Workaround');
      await page.locator('.tabs-container .tab.active', { hasText: title }).waitFor();
      const frame = checklist(page);
      await frame.locator('header p', { hasText: `Context ${cluster.context}` }).waitFor({ timeout: 60_000 });
      assert.deepEqual(await states(frame), ['needed', 'needed', 'needed', 'needed', 'needed', 'needed', 'needed']);
      await frame.locator('vscode-collapsible[data-step="1"] .reason', { hasText: 'the plan creates cnv-images as a copy of e2e-hyperdisk' }).waitFor();
      await frame.locator('vscode-collapsible[data-step="1"] pre.write', { hasText: 'name: cnv-images' }).waitFor();
      await frame.locator('vscode-collapsible[data-step="5"] pre.write', { hasText: 'workloadSources:' }).waitFor();
      await frame.locator('vscode-collapsible[data-step="6"] h3', { hasText: 'deletes: every VolumeSnapshot in namespace kubevirt-os-images selected by cdi.kubevirt.io/dataImportCron in (e2e-fedora-image-cron)' }).waitFor();
      await frame.locator('section[data-verification="pending"]').waitFor();
      const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp ?? '', /^default-src 'none'; script-src 'nonce-[^']+'/);
      await shot('gcp-images-checklist');
    },
  },
  {
    name: 'Dry Run: the conversation previews the plan with the dry run; the page shows each write\'s outcome and the diffs; nothing is written',
    async run({ page, shot, cluster }) {
      const seen = (await emulatorRequests(cluster)).length;
      await checklist(page).locator('vscode-button', { hasText: 'Dry Run' }).click();
      const tab = page.locator('.tabs-container .tab', { hasText: /^plan-[\w-]+\.yaml/ });
      await tab.first().waitFor();
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'Nothing was applied.' }).waitFor();
      // The page is shown again once the dry run is done, with its outcome.
      await page.locator('.tabs-container .tab.active', { hasText: title }).waitFor();
      const frame = checklist(page);
      await frame.locator('.result[data-action="dry-run"]', { hasText: 'Dry run: The server-side dry run passed for 6 of 6 writes (3 to create, 2 to update, 1 to delete)' }).waitFor();
      await frame.locator('vscode-collapsible[data-step="2"] .outcome', { hasText: 'dry run: update VolumeSnapshotClass e2e-pd-vsc' }).waitFor();
      await frame.locator('vscode-collapsible[data-step="2"] pre.diff', { hasText: 'snapshot.storage.kubernetes.io/is-default-class: "true"' }).waitFor();
      await frame.locator('vscode-collapsible[data-step="6"] .outcome', { hasText: 'dry run: delete VolumeSnapshot kubevirt-os-images/e2e-fedora-1a2b3c4d5e6f' }).waitFor();
      await shot('gcp-images-dry-run');
      assert.deepEqual(writesWithoutDryRun((await emulatorRequests(cluster)).slice(seen), /\/namespaces\/kubevirt-storage-tools\//), [], 'nothing was written');
      await tab.first().click();
      await page.keyboard.press('Control+W');
      await tab.first().waitFor({ state: 'detached' });
      await showChecklist(page);
    },
  },
  {
    name: 'Apply: a modal names the context and the golden-image snapshot it deletes; afterwards the steps are done and verification waits for the re-import',
    async run({ page, shot, cluster }) {
      await checklist(page).locator('vscode-button', { hasText: 'Apply' }).click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.filter({ hasText: 'Apply on context' }).waitFor({ timeout: 60_000 });
      const text = (await dialog.innerText()).replace(/\s+/g, ' ');
      assert.match(text, new RegExp(`Apply on context ${cluster.context}/kubevirt-os-images\\? 6 changes, 1 deletion\\.`));
      assert.match(text, /This deletes 1 object: • VolumeSnapshot kubevirt-os-images\/e2e-fedora-1a2b3c4d5e6f/);
      await shot('gcp-images-apply-confirmation');
      await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'Setting up the GCP golden-image workaround on' }).filter({ hasText: 'Applied: ' }).first().waitFor({ timeout: 90_000 });
      await page.locator('.tabs-container .tab.active', { hasText: title }).waitFor();
      const frame = checklist(page);
      await frame.locator('.result[data-action="apply"]', { hasText: 'Applied: 3 to create, 2 to update, 1 to delete.' }).waitFor();
      assert.deepEqual(await states(frame), ['done', 'done', 'done', 'done', 'done', 'not-needed', 'needed']);
      await frame.locator('li[data-check="storage-profile"][data-state="passed"]').waitFor();
      await frame.locator('li[data-check="golden-snapshots"][data-state="pending"]').waitFor();
      await shot('gcp-images-applied');
      const tab = page.locator('.tabs-container .tab', { hasText: /^plan-[\w-]+\.yaml/ });
      if (await tab.count()) {
        await tab.first().click();
        await page.keyboard.press('Control+W');
        await showChecklist(page);
      }
    },
  },
  {
    name: 'Verify reads again and says what is pending; Undo, through its modal, restores the cluster: the steps are needed again',
    async run({ page, shot, cluster }) {
      const frame = checklist(page);
      await frame.locator('vscode-button', { hasText: 'Verify' }).click();
      await frame.locator('.result[data-action="verify"]', { hasText: 'Pending: ✓ StorageProfile cnv-images' }).waitFor();
      await frame.locator('vscode-button', { hasText: 'Undo' }).click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.filter({ hasText: `Undo 1 run on context ${cluster.context}?` }).waitFor();
      assert.match((await dialog.innerText()).replace(/\s+/g, ' '), /VolumeSnapshot kubevirt-os-images\/e2e-fedora-1a2b3c4d5e6f: deleted by this run and not brought back \(CDI imports the golden images again/);
      await shot('gcp-images-undo-confirmation');
      await dialog.locator('.monaco-button', { hasText: /^Undo$/ }).click();
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'Undone 1 run' }).waitFor({ timeout: 60_000 });
      await checklist(page).locator('.result[data-action="undo"]').waitFor();
      assert.deepEqual(await states(checklist(page)), ['needed', 'needed', 'needed', 'needed', 'needed', 'not-needed', 'needed']);
      await shot('gcp-images-undone');
      await page.keyboard.press('Control+W');
      await page.locator('.tabs-container .tab', { hasText: title }).waitFor({ state: 'detached' });
    },
  },
];
