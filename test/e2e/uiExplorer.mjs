// UI tests of the storage explorer: its activity-bar view shows the API emulator's objects (the runner points
// kubevirtStorage.cluster.kubeconfig at it), and a snapshot's context menu makes a restore PVC. Every wait is a
// locator with a deadline.
import { strict as assert } from 'node:assert';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The side bar's tree rows labelled exactly `label` (first: the first one in the tree). */
function rows(page, label) {
  return page.locator('.part.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) });
}

/** Expands the row labelled `label` (a click toggles it) and waits for a child row labelled `child`. */
async function expand(page, label, child) {
  const row = rows(page, label).first();
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await rows(page, child).first().waitFor();
}

export const explorerUiTests = [
  {
    name: 'the KubeVirt Storage explorer shows the emulator\'s context, storage classes, snapshots and PVCs',
    async run({ page, shot, cluster }) {
      assert.ok(cluster, 'the runner started the API emulator');
      await page.locator('.part.activitybar .action-item a[aria-label^="KubeVirt Storage"]').click();
      await page.locator('.part.sidebar .title-label', { hasText: /KubeVirt Storage/i }).first().waitFor();
      // The context is the root, expanded, with the four folders.
      await rows(page, cluster.context).first().waitFor({ timeout: 60_000 });
      for (const folder of ['Storage Classes', 'Volume Snapshots', 'Persistent Volume Claims', 'VM Snapshots at Risk', 'VolumeResize Migrations']) await rows(page, folder).first().waitFor();
      await expand(page, 'Storage Classes', 'e2e-nfs');
      assert.match(await rows(page, 'e2e-nfs').first().innerText(), /nfs\.csi\.k8s\.io/);
      await expand(page, 'Volume Snapshots', cluster.namespace);
      await expand(page, cluster.namespace, cluster.snapshot);
      const snapshot = rows(page, cluster.snapshot).first();
      assert.match((await snapshot.innerText()).replace(/\s+/g, ' '), new RegExp(`${cluster.restoreSize} · ready`));
      await expand(page, 'Persistent Volume Claims', cluster.namespace);
      // expand() is satisfied by the namespace row under Volume Snapshots: wait for the one under PVCs too (the
      // context's children may be re-read meanwhile, e.g. when the webhook item's status arrives).
      await rows(page, cluster.namespace).nth(1).waitFor();
      assert.equal(await rows(page, cluster.namespace).count(), 2, 'the namespace under Volume Snapshots and under PVCs');
      assert.match(await rows(page, cluster.namespace).nth(1).innerText(), /1 PVC/);
      await shot('explorer');
    },
  },
  {
    name: 'a snapshot\'s context menu opens a restore PVC manifest in an untitled editor',
    async run({ page, shot, cluster }) {
      const snapshot = rows(page, cluster.snapshot).first();
      await snapshot.click({ button: 'right' });
      const item = page.locator('.context-view .monaco-menu .action-item', { hasText: 'New Restore PVC from This Snapshot' });
      await item.waitFor();
      for (const other of ['Open as YAML (Read-Only)', 'Copy restoreSize']) await page.locator('.context-view .monaco-menu .action-item', { hasText: other }).waitFor();
      await shot('explorer-context-menu');
      await item.click();
      await page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).waitFor();
      await page.locator('.monaco-editor .view-lines .view-line', { hasText: 'dataSourceRef' }).first().waitFor();
      await page.locator('.monaco-editor .view-lines .view-line', { hasText: `storage: ${cluster.restoreSize}` }).first().waitFor();
      await shot('explorer-restore-pvc');
    },
  },
];
