// UI tests of VolumeResize migrations, against the runner's emulator with the simulated operator (test/sim, driven
// here through `resize`): the explorer's VolumeResize Migrations follow a migration step by step, its progress
// webview shows the grid of replicas × volumes, the timeline and the backup ConfigMap and follows it to the end;
// a failed migration is rolled back from its context menu through the one conversation (preview, dry run, modal
// naming the context), verified by the StatefulSet's pods running again. Every wait is a locator with a deadline.
import { strict as assert } from 'node:assert';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function rows(page, label) {
  return page.locator('.part.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) });
}

async function expand(page, label) {
  const row = rows(page, label).first();
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
}

/**
 * Expands `label` until `child` shows, within 30 s. On a loaded machine a click on a row has been seen to leave
 * it collapsed (the hover of the row above covering it, or a refresh from the watch landing with the click): the
 * row is expanded again while the child has not shown.
 */
async function expandUntil(page, label, child) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await expand(page, label);
    try {
      await child.waitFor({ timeout: 3000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.mouse.move(0, 0);
    }
  }
}

/** The progress page's document: VS Code nests the page in an iframe holding the active frame. */
function progressFrame(page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

async function menuItem(page, row, title) {
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .monaco-menu .action-item', { hasText: title });
  await item.first().waitFor();
  return item.first();
}

/**
 * Clicks a context menu item and waits for the menu to close. On a loaded machine the menu has been seen to stay
 * open with the item highlighted after the click (VS Code's menu took the click before it took input): then the
 * item is chosen once more by the keyboard. What the item does is asserted by the caller either way.
 */
async function choose(page, item) {
  const menu = page.locator('.context-view .monaco-menu');
  await item.click();
  try {
    await menu.waitFor({ state: 'hidden', timeout: 5000 });
  } catch {
    await item.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }
}

/** The first test's steps, from the migration held at replica 1's copy to its end. */
async function followMigration(page, shot, hold) {
  await hold.reached;
  await expand(page, 'VolumeResize Migrations');
  const row = rows(page, 'e2e-shrink').first();
  // The tree is told by the server's watch: the row shows the replica the operator works on, without a refresh.
  await row.filter({ hasText: 'replica 1 × data' }).waitFor();
  assert.match((await row.innerText()).replace(/\s+/g, ' '), /Syncing · replica 1 × data · 1\/2 moved · kvs-e2e\/e2e-db/);
  await expandUntil(page, 'e2e-shrink', rows(page, 'replica 0 × data').first());
  await rows(page, 'replica 0 × data').first().filter({ hasText: 'Completed' }).waitFor();
  await rows(page, 'replica 1 × data').first().filter({ hasText: '(now)' }).waitFor();
  await shot('resize-tree');

  await choose(page, await menuItem(page, row, 'Show VolumeResize Progress'));
  await page.locator('.tabs-container .tab.active', { hasText: 'VolumeResize kvs-e2e/e2e-shrink' }).waitFor();
  const frame = progressFrame(page);
  await frame.locator('h1', { hasText: 'VolumeResize kvs-e2e/e2e-shrink' }).waitFor();
  await frame.locator('#phase vscode-badge[data-phase="Syncing"]').waitFor();
  await frame.locator('[data-cell="0/data"][data-phase="Completed"]').waitFor();
  await frame.locator('[data-cell="1/data"][data-current="true"]').waitFor();
  assert.match(await frame.locator('[data-cell="0/data"]').innerText(), /old PVC data-e2e-db-0 on pvc-\S+[\s\S]*new PVC data-e2e-db-0-new on pvc-/);
  await frame.locator('#timeline vscode-table-row', { hasText: 'replica 0 × data: Completed (PVC replaced)' }).waitFor();
  await frame.locator('#timeline vscode-table-row[data-open="true"] .elapsed', { hasText: 'so far' }).waitFor();
  await frame.locator('#backup', { hasText: 'ConfigMap e2e-shrink-sts-backup: present — StatefulSet e2e-db, 2 replicas, claim templates data 10Gi' }).waitFor();
  assert.equal(await frame.locator('#rollback').count(), 0, 'no rollback while it runs');
  // The page's policy came with it: nothing but the nonce'd bundle runs.
  const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp ?? '', /^default-src 'none'; script-src 'nonce-[^']+'/);
  await shot('resize-progress-running');

  hold.release();
  // The page is read again when the server says the migration changed: it reaches Completed by itself.
  await frame.locator('#phase vscode-badge[data-phase="Completed"]').waitFor();
  await frame.locator('[data-cell="1/data"][data-phase="Completed"]').waitFor();
  assert.equal(await frame.locator('#timeline vscode-table-row[data-open="true"]').count(), 0, 'nothing runs once Completed');
  await frame.locator('#timeline vscode-table-row', { hasText: 'Completed: Migration completed successfully' }).waitFor();
  await row.filter({ hasText: 'Completed' }).waitFor();
  await shot('resize-progress-completed');
}

export const resizeUiTests = [
  {
    name: 'VolumeResize Migrations: the tree follows a migration through the watch; its progress webview shows the grid, the timeline and the backup, to the end',
    async run({ page, shot, resize }) {
      assert.ok(resize, 'the runner passes the simulated operator');
      await resize.seedStatefulSet('e2e-db', 2);
      const hold = resize.hold('migrator', 1);
      resize.start('e2e-shrink', 'e2e-db', '4Gi');
      // Released in the end whatever happens, so that a failure here leaves the next test an operator that runs.
      try {
        await followMigration(page, shot, hold);
      } finally {
        hold.release();
      }
    },
  },
  {
    name: 'a failed migration: Roll Back VolumeResize… from its context menu, all steps, through the preview, the dry run and a modal naming the context; the StatefulSet runs again on the old volumes',
    async run({ page, shot, cluster, resize }) {
      await resize.seedStatefulSet('e2e-cache', 2);
      const oldPv = resize.get('v1', 'PersistentVolumeClaim', 'data-e2e-cache-1').spec.volumeName;
      resize.failAt('replace-create-pvc', 1);
      resize.start('e2e-shrink-cache', 'e2e-cache', '4Gi');
      const row = rows(page, 'e2e-shrink-cache').first();
      await row.filter({ hasText: 'Failed' }).waitFor();
      assert.equal(resize.get('apps/v1', 'StatefulSet', 'e2e-cache'), undefined, 'the operator left the StatefulSet deleted');
      const item = await menuItem(page, row, 'Roll Back VolumeResize…');
      await page.locator('.context-view .monaco-menu .action-item', { hasText: 'Delete VolumeResize…' }).waitFor();
      await shot('resize-failed-context-menu');
      await choose(page, item);

      const quick = page.locator('.quick-input-widget');
      await quick.locator('.monaco-list-row', { hasText: 'All steps' }).waitFor();
      await quick.locator('.monaco-list-row', { hasText: 'One step at a time' }).waitFor();
      await quick.locator('.monaco-list-row', { hasText: 'All steps' }).click();

      const tab = page.locator('.tabs-container .tab', { hasText: /^plan-[\w-]+\.yaml/ });
      await tab.first().waitFor();
      const lines = page.locator('.monaco-editor .view-lines .view-line');
      await lines.filter({ hasText: '# Roll back VolumeResize kvs-e2e/e2e-shrink-cache' }).first().waitFor();
      await lines.filter({ hasText: 'Give the old volumes their names back' }).first().waitFor();
      await lines.filter({ hasText: '# The server-side dry run passed for ' }).first().waitFor();

      const dialog = page.locator('.monaco-dialog-box');
      await dialog.filter({ hasText: `Roll Back on context ${cluster.context}/kvs-e2e?` }).waitFor();
      const text = (await dialog.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /Roll back VolumeResize kvs-e2e\/e2e-shrink-cache/);
      await shot('resize-rollback-confirmation');
      await dialog.locator('.monaco-button', { hasText: /^Roll Back$/ }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'Rolling back VolumeResize kvs-e2e/e2e-shrink-cache' }).filter({ hasText: 'done' }).waitFor({ timeout: 60_000 });
      assert.ok(resize.get('apps/v1', 'StatefulSet', 'e2e-cache'), 'the StatefulSet is back');
      assert.equal(resize.get('v1', 'PersistentVolumeClaim', 'data-e2e-cache-1').spec.volumeName, oldPv, 'replica 1 is on its old PV');
      assert.equal(resize.get('v1', 'Pod', 'e2e-cache-1')?.status?.phase, 'Running');
      await shot('resize-rollback-done');
      // The conversation leaves the rollback's plan preview open to read: close it, so that later tests see only theirs.
      const plans = page.locator('.tabs-container .tab', { hasText: /^plan-[\w-]+\.yaml/ });
      while ((await plans.count()) > 0) {
        const label = await plans.first().getAttribute('aria-label');
        await plans.first().click();
        await page.keyboard.press('Control+W');
        await page.locator(`.tabs-container .tab[aria-label="${label}"]`).waitFor({ state: 'detached' });
      }
    },
  },
];
