// UI tests of the storage explorer: its activity-bar view shows the API emulator's objects (the runner points
// kubevirtStorage.cluster.kubeconfig at it), and a snapshot's context menu makes a restore PVC. Every wait is a
// locator with a deadline.
import { strict as assert } from 'node:assert';
import { request } from 'node:https';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The side bar's tree rows labelled exactly `label` (first: the first one in the tree). */
function rows(page, label) {
  return page.locator('.part.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) });
}

/**
 * Sets `row` expanded (or collapsed) and waits for `child` to show (or go). A click VS Code takes while it refreshes
 * the tree can be undone by that refresh (the row comes back as it was when the refresh began): the row is then
 * clicked again, never when it already is as wanted — a row expanded without its children still fails. `before`
 * runs before each try (it may put back what a misdirected click undid).
 */
let lastClicked;
async function setExpanded(row, child, expanded, timeoutMs = 30_000, before = async () => {}) {
  const deadline = Date.now() + timeoutMs;
  const slice = () => Math.min(3000, Math.max(1, deadline - Date.now()));
  for (;;) {
    try {
      await before();
      await row.waitFor({ timeout: slice() });
      if (((await row.getAttribute('aria-expanded')) === 'true') !== expanded) {
        lastClicked = row;
        await row.click({ timeout: slice() });
      }
      await child.waitFor({ state: expanded ? 'visible' : 'detached', timeout: slice() });
      return;
    } catch (error) {
      if (Date.now() >= deadline || error instanceof assert.AssertionError) throw error;
    }
  }
}

/** Expands the row labelled `label` and waits for a child row labelled `child`. */
async function expand(page, label, child) {
  await setExpanded(rows(page, label).first(), rows(page, child).first(), true);
}

/** Opens the explorer and expands Volume Snapshots down to the emulator's snapshot (what is open stays open). */
async function showSnapshot(page, cluster) {
  // A click on the active view's icon would close the side bar: click only when another view is shown.
  const title = page.locator('.part.sidebar .title-label', { hasText: /KubeVirt Storage/i }).first();
  if (!(await title.isVisible())) await page.locator('.part.activitybar .action-item a[aria-label^="KubeVirt Storage"]').click();
  await title.waitFor();
  await rows(page, cluster.context).first().waitFor({ timeout: 60_000 });
  await expand(page, 'Volume Snapshots', cluster.namespace);
  await expand(page, cluster.namespace, cluster.snapshot);
  return rows(page, cluster.snapshot).first();
}

/** One request to the emulator's API as its admin (as any other client of the cluster would); resolves the status. */
function api(cluster, method, path, body) {
  const url = new URL(path, cluster.url);
  const type = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca: cluster.caPem, headers: { Authorization: `Bearer ${cluster.token}`, 'Content-Type': type } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode < 300 ? resolve(res.statusCode) : reject(new Error(`${method} ${url.pathname}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
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
      // On its own feet: the row is shown here, not left over from the test above (whose failure was this one's).
      const snapshot = await showSnapshot(page, cluster);
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
  {
    name: 'the explorer stays whole while the cluster changes under it: a namespace of PVCs collapsed and expanded as a DataVolume changes',
    async run({ page, cluster }) {
      // A DataVolume's change makes the server send `changed` for the context (its folder counts them) while the
      // folders below are being fetched: VS Code 1.100 then left a node expanded and empty when the client
      // refreshed just that part of the tree (client/explorerTree.ts).
      const dvs = `/apis/cdi.kubevirt.io/v1beta1/namespaces/${cluster.namespace}/datavolumes`;
      await api(cluster, 'POST', dvs, { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: { name: 'e2e-churn' }, spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '1Gi' } } } } });
      let churning = true;
      let tick = 0;
      const churn = (async () => {
        while (churning) {
          await api(cluster, 'PATCH', `${dvs}/e2e-churn`, { metadata: { labels: { 'e2e-tick': String(tick++) } } });
          await new Promise((r) => setTimeout(r, 230)); // longer than the server's 200 ms quiet period: a `changed` each
        }
      })();
      try {
        await showSnapshot(page, cluster);
        const folder = rows(page, 'Persistent Volume Claims').first();
        const namespace = rows(page, cluster.namespace).nth(1);
        const pvc = rows(page, 'e2e-disk').first();
        await setExpanded(folder, namespace, true);
        // VS Code reuses a list row's element for another tree item when it re-renders: a click aimed at the
        // namespace can land on the folder above it (the folder is then the selected row). That collapse is the
        // test's own doing and is undone; the folder collapsed otherwise is the tree's, and fails.
        let misdirected = 0;
        const folderOpen = async () => {
          if ((await folder.getAttribute('aria-expanded')) === 'true') return;
          const misclick = lastClicked === namespace && (await folder.getAttribute('aria-selected')) === 'true';
          assert.ok(misclick, 'Persistent Volume Claims collapsed by itself (no click aimed at the namespace landed on it)');
          misdirected++;
          await setExpanded(folder, namespace, true);
        };
        for (let round = 0; round < 40; round++) {
          await setExpanded(namespace, pvc, false, 30_000, folderOpen);
          await setExpanded(namespace, pvc, true, 30_000, folderOpen);
        }
        if (misdirected > 0) console.log(`    (${misdirected} click(s) landed on the folder above a re-rendered row and were undone)`);
      } finally {
        churning = false;
        await churn.catch(() => {});
        await api(cluster, 'DELETE', `${dvs}/e2e-churn`).catch(() => {});
      }
      assert.ok(tick > 0, 'the DataVolume changed meanwhile');
    },
  },
];
