// UI tests of VolumeClaimTemplates and CDI's rendering in the editor: completion (Ctrl+Space and the space
// after a key), "Fill from StorageProfile" through Ctrl+., and the "Show CDI Render" webview (written vs rendered,
// the differences marked, its policy, keyboard to "Go to claim"). They work in a scratch file of their own, so
// the other suites see the examples' findings unchanged (written before the editor starts: writeClaimsScratch).
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './lib/palette.mjs';
import { emulatorRequests, writesWithoutDryRun } from './lib/requests.mjs';
import { settled, workbench } from './lib/workbench.mjs';

const scratch = 'vct-scratch.yaml';
const scratchText = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: scratch
  namespace: vms
spec:
  volumeClaimTemplates:
  - metadata:
      name: disk
    spec:
      storageClassName: 
      volumeMode:
      resources:
        requests:
          storage: 1Gi
  template:
    spec:
      domain:
        devices: {}
      volumes:
      - name: root
        persistentVolumeClaim:
          claimName: disk
`;

/** The scratch file the tests type in, beside the examples. */
export function writeClaimsScratch(workspace) {
  writeFileSync(join(workspace, scratch), scratchText);
}

/** The suggest widget's rows, and the focused one. */
function suggest(page) {
  const widget = page.locator('.editor-widget.suggest-widget.visible');
  return { widget, row: (label) => widget.locator('.monaco-list-row', { hasText: label }), focused: widget.locator('.monaco-list-row.focused') };
}

/** Moves the focus in the action menu (Ctrl+.) down to the row holding `text`; Enter applies it. */
async function chooseAction(page, text) {
  const row = page.locator('.action-widget .monaco-list-row', { hasText: text });
  await row.first().waitFor({ state: 'visible' });
  for (let i = 0; i < 20; i++) {
    if (await page.locator('.action-widget .monaco-list-row.focused', { hasText: text }).count()) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`the action "${text}" could not be focused`);
}

/** Gives the keyboard to the workbench: earlier tests may leave a webview (an iframe) focused. */
async function focusWorkbench(page) {
  const tab = page.locator('.tabs-container .tab', { hasText: /\.yaml/ }).first();
  if (await tab.count()) await tab.click();
  else await workbench(page).focusEditorArea();
}

/** Picks the quick pick row holding `text` (typed into the filter, then Enter). */
async function pickRow(page, text) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Answers an input box with `value`. */
async function typeInput(page, prompt, value) {
  const widget = page.locator('.quick-input-widget', { hasText: prompt });
  await widget.waitFor({ state: 'visible' });
  await widget.locator('input').fill(value);
  await page.keyboard.press('Enter');
}

export const claimsUiTests = [
  {
    name: 'completion in a VolumeClaimTemplate: the storage classes with the virt default first, then the volume modes of its StorageProfile',
    async run({ page, shot, workspace }) {
      const wb = workbench(page);
      await focusWorkbench(page);
      await wb.openFile(scratch);
      await wb.goTo(join(workspace, scratch), 'storageClassName:');
      await page.keyboard.press('End');
      await page.keyboard.press('Control+Space');
      const s = suggest(page);
      await s.row('trident-nas').first().waitFor();
      // Preselected: CDI's pick for a template (the virt default), the workspace's classes and the cluster's.
      await s.focused.filter({ hasText: 'trident-nas' }).waitFor();
      await s.row('ocs-rbd').first().waitFor();
      await s.row('e2e-nfs').first().waitFor();
      await settled(s.widget);
      await shot('completion-storage-classes');
      await page.keyboard.press('Enter');
      await wb.viewLine('storageClassName: trident-nas').waitFor();
      // The space after `volumeMode:` opens the list by itself (the server's trigger character).
      await wb.goTo(join(workspace, scratch), 'volumeMode:');
      await page.keyboard.press('End');
      await page.keyboard.type(' ');
      await s.row('Filesystem').first().waitFor();
      await s.focused.filter({ hasText: 'Filesystem' }).waitFor();
      await s.row('FromStorageProfile').first().waitFor();
      await shot('completion-volume-modes');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Backspace');
      await wb.viewLine('volumeMode:').waitFor();
    },
  },
  {
    name: 'Ctrl+. offers "Fill from StorageProfile" on the template and writes only what is missing',
    async run({ page, shot, workspace }) {
      const wb = workbench(page);
      await wb.goTo(join(workspace, scratch), 'name: disk');
      await page.keyboard.press('Control+Period');
      const title = 'Fill from StorageProfile (VirtualMachine scratch, volumeClaimTemplate disk): accessModes: ReadWriteMany, volumeMode: Filesystem';
      await chooseAction(page, title);
      await shot('fill-from-storage-profile-menu');
      await page.keyboard.press('Enter');
      await wb.viewLine('volumeMode: Filesystem').waitFor();
      await wb.viewLine('accessModes: [ReadWriteMany]').waitFor();
      await wb.viewLine('storageClassName: trident-nas').waitFor();
      await shot('fill-from-storage-profile-applied');
      await page.keyboard.press('Control+S');
      await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
    },
  },
  {
    name: 'Show CDI Render: each claim written vs rendered, the differences marked, byte for byte; its policy; keyboard to Go to claim',
    async run({ page, shot, workspace }) {
      const wb = workbench(page);
      await focusWorkbench(page);
      await wb.openFile('vm-volumeclaimtemplates.yaml');
      await runCommand(page, 'Show CDI Render');
      await page.locator('.tabs-container .tab.active', { hasText: 'KubeVirt Storage: CDI Render' }).waitFor();
      const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
      await frame.locator('header p', { hasText: 'vm-volumeclaimtemplates.yaml · 3 claims' }).waitFor();
      const rootdisk = frame.locator('section', { hasText: 'VirtualMachine cirros, volumeClaimTemplate rootdisk' });
      // 1Gi on trident-nas (Filesystem, overhead 0.06, CDI v1.63.1 of cluster-storage.yaml): 1,138,166,334 bytes.
      const storage = rootdisk.locator('vscode-table-row[data-field="storage"] vscode-table-cell.changed', { hasText: '1138166334' });
      await storage.waitFor();
      assert.equal(await storage.getAttribute('aria-label'), '1138166334 (differs from what is written)');
      await rootdisk.locator('vscode-table-row[data-field="storageClassName"] vscode-table-cell.changed', { hasText: 'trident-nas' }).waitFor();
      const data = frame.locator('section', { hasText: 'volumeClaimTemplate data' });
      await data.locator('vscode-table-row[data-field="storage"] vscode-table-cell', { hasText: '30Gi' }).first().waitFor();
      // The golden image PVC is not labelled: CDI leaves it as written.
      await frame.locator('section', { hasText: 'PersistentVolumeClaim fedora-golden' }).locator('vscode-badge[data-state="as-written"]').waitFor();
      const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp ?? '', /^default-src 'none'; script-src 'nonce-[^']+'/);
      await shot('cdi-render-panel');
      // Keyboard: "Go to claim" is a focusable button; Enter moves the editor to the claim.
      await rootdisk.locator('vscode-button', { hasText: 'Go to claim' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active[aria-label*="vm-volumeclaimtemplates.yaml"]').waitFor();
      const line = templateSpecLine(workspace);
      await page.locator('.statusbar-item', { hasText: `Ln ${line}` }).first().waitFor();
      // Closed with its tab's close button: Ctrl+W would go to the webview once it has the focus.
      const tab = page.locator('.tabs-container .tab', { hasText: 'KubeVirt Storage: CDI Render' });
      await tab.hover();
      await tab.locator('.tab-actions .codicon-close').click();
      await page.locator('.tabs-container .tab', { hasText: 'KubeVirt Storage: CDI Render' }).waitFor({ state: 'detached' });
    },
  },
  {
    name: 'Create PVC…: quick picks (name, source, class, size), the rendered PVC in a preview with the dry run, a modal naming the context; Cancel creates nothing',
    async run({ page, shot, cluster }) {
      const seen = (await emulatorRequests(cluster)).length;
      await focusWorkbench(page);
      await runCommand(page, 'Create PVC…');
      await pickRow(page, 'Name');
      await typeInput(page, 'The PVC name', 'e2e-created');
      await pickRow(page, 'No source');
      await pickRow(page, 'e2e-nfs');
      await typeInput(page, 'The size', '1Gi');
      const tab = page.locator('.tabs-container .tab', { hasText: /^plan-[\w-]+\.yaml/ });
      await tab.first().waitFor();
      const lines = page.locator('.monaco-editor .view-lines .view-line');
      await lines.filter({ hasText: 'storageClassName: e2e-nfs' }).first().waitFor();
      // The e2e-nfs StorageProfile's first claimPropertySet: ReadWriteMany Filesystem.
      await lines.filter({ hasText: '- ReadWriteMany' }).first().waitFor();
      await lines.filter({ hasText: '# The server-side dry run passed for ' }).first().waitFor();
      const dialog = page.locator('.monaco-dialog-box', { hasText: `on context ${cluster.context}` });
      await dialog.waitFor();
      await shot('create-pvc-confirmation');
      await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
      await dialog.waitFor({ state: 'detached' });
      await tab.first().waitFor({ state: 'detached' });
      const requests = (await emulatorRequests(cluster)).slice(seen);
      assert.ok(requests.some((r) => r.method === 'POST' && r.path.endsWith('/persistentvolumeclaims') && new URLSearchParams(r.query).get('dryRun') === 'All'), 'the PVC was dry-run');
      assert.deepEqual(writesWithoutDryRun(requests), [], 'nothing was created');
    },
  },
];

/** The 1-based line of the rootdisk template's `spec:` in the example. */
function templateSpecLine(workspace) {
  const lines = readFileSync(join(workspace, 'vm-volumeclaimtemplates.yaml'), 'utf8').split('\n');
  const name = lines.findIndex((l) => l.includes('name: rootdisk'));
  return lines.findIndex((l, i) => i > name && l.trim() === 'spec:') + 1;
}
