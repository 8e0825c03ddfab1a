// UI tests of the restore-size webhook commands: the explorer's webhook item and its context menu, and the
// deploy's conversation as a user sees it (the preview with the dry run's outcome, then a modal naming the
// context), cancelled with its Cancel button: the emulator then holds no write without dryRun=All, and the
// preview is closed. Every wait is a locator with a deadline.
import { strict as assert } from 'node:assert';
import { runCommand } from './lib/palette.mjs';
import { emulatorRequests, writesWithoutDryRun } from './lib/requests.mjs';

const label = 'Restore-size webhook';

export const webhookUiTests = [
  {
    name: 'the explorer shows the restore-size webhook as not deployed, with Deploy, Status, Uninstall and Undo in its context menu',
    async run({ page, shot }) {
      const row = page.locator('.part.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
      await row.filter({ hasText: 'not deployed' }).waitFor();
      await row.click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      for (const title of ['Deploy Restore-Size Webhook', 'Restore-Size Webhook Status', 'Uninstall Restore-Size Webhook', 'Undo Restore-Size Webhook Changes']) {
        await menu.locator('.action-item', { hasText: title }).waitFor();
      }
      await shot('webhook-context-menu');
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
    },
  },
  {
    name: 'Deploy Restore-Size Webhook: the advice (no CDI PVC webhook here), the preview of the exact manifests with the dry run, a modal naming the context; Cancel applies nothing and closes the preview',
    async run({ page, shot, cluster }) {
      const seen = (await emulatorRequests(cluster)).length;
      await runCommand(page, 'Deploy Restore-Size Webhook');

      // The runner's emulator serves CDI without its PVC webhook: the plan advises against deploying, first.
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.filter({ hasText: 'is not advised' }).waitFor();
      assert.match((await dialog.innerText()).replace(/\s+/g, ' '), /cdi-api-pvc-mutate\) is not configured on this cluster .* Go on anyway\?/);
      await shot('webhook-deploy-advice');
      await dialog.locator('.monaco-button', { hasText: /^Continue Anyway$/ }).click();

      const tab = page.locator('.tabs-container .tab', { hasText: /^plan-[\w-]+\.yaml/ });
      await tab.first().waitFor();
      const lines = page.locator('.monaco-editor .view-lines .view-line');
      // Strings, not regular expressions: Monaco renders spaces as no-break spaces, which only string matching folds.
      await lines.filter({ hasText: '# Deploy the restore-size webhook to namespace ' }).first().waitFor();
      await lines.filter({ hasText: `# Target: context ${cluster.context} ` }).first().waitFor();
      // The dry run's outcome joins the preview before anything is asked.
      await lines.filter({ hasText: '# The server-side dry run passed for ' }).first().waitFor();
      await lines.filter({ hasText: '# dry run: create' }).first().waitFor();

      await dialog.filter({ hasText: 'Deploy on context' }).waitFor();
      const text = (await dialog.innerText()).replace(/\s+/g, ' ');
      assert.match(text, new RegExp(`Deploy on context ${cluster.context}/[a-z0-9-]+\\? \\d+ changes?\\.`));
      assert.match(text, /The server-side dry run passed for \d+ of \d+ writes/);
      assert.match(text, /Undo reverses it from the journal kept in the cluster/);
      assert.doesNotMatch(text, /This deletes/, 'a deploy deletes nothing');
      // The dry run's progress notification goes once the dry run is done: nothing stale beside the question.
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'dry run:' }).waitFor({ state: 'detached', timeout: 5000 });
      await shot('webhook-deploy-confirmation');

      await dialog.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'cancelled at the confirmation; nothing was applied' }).waitFor();
      await tab.first().waitFor({ state: 'detached' });
      const requests = (await emulatorRequests(cluster)).slice(seen);
      assert.ok(requests.some((r) => new URLSearchParams(r.query).get('dryRun') === 'All'), 'the dry run reached the API server');
      assert.deepEqual(writesWithoutDryRun(requests), [], 'nothing was written');
    },
  },
  {
    name: 'Restore-Size Webhook Status: a notification with the summary; Show Details renders the table',
    async run({ page, shot, cluster }) {
      await runCommand(page, 'Restore-Size Webhook Status');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `is not deployed on context ${cluster.context}` });
      await toast.waitFor();
      await toast.locator('.monaco-button', { hasText: /^Deploy…$/ }).waitFor();
      await toast.locator('.monaco-button', { hasText: /^Show Details$/ }).click();
      await page.locator('.tabs-container .tab.active', { hasText: `restore-size-webhook-${cluster.context}.md` }).waitFor();
      // The markdown preview is a webview (an iframe over the editor, holding the active frame with the document).
      const rendered = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
      await rendered.locator('h1', { hasText: `Restore-size webhook in ${cluster.context}` }).waitFor();
      await rendered.locator('table td', { hasText: /^Deployed$/ }).waitFor();
      await shot('webhook-status-details');
    },
  },
  {
    name: 'Uninstall Restore-Size Webhook where it is not deployed: the dry run finds nothing, and nothing is asked or removed',
    async run({ page, cluster }) {
      const seen = (await emulatorRequests(cluster)).length;
      await runCommand(page, 'Uninstall Restore-Size Webhook');
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'Uninstall the restore-size webhook: nothing is deployed' }).waitFor();
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no confirmation');
      assert.deepEqual(writesWithoutDryRun((await emulatorRequests(cluster)).slice(seen)), [], 'nothing was written');
    },
  },
];

/** The operations panel (webview/runs/) in its webview: the frame VS Code nests the page in. */
export const operationsUiTests = [
  {
    name: 'Show Operations and Undo Journal: a webview with each operation, its state and its runs; keyboard reaches its buttons',
    async run({ page, shot, cluster }) {
      await runCommand(page, 'Show Operations and Undo Journal');
      await page.locator('.tabs-container .tab.active', { hasText: 'KubeVirt Storage: Operations' }).waitFor();
      const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
      await frame.locator('header p', { hasText: `Context ${cluster.context} · undo journal in namespace kubevirt-storage-tools` }).waitFor();
      for (const title of ['Deploy the restore-size webhook', 'Uninstall the restore-size webhook', "Rotate the restore-size webhook's certificate"]) {
        await frame.locator('section h2', { hasText: title }).waitFor();
      }
      await frame.locator('section[data-operation="webhook"] .status', { hasText: 'The restore-size webhook is not deployed' }).waitFor();
      await frame.locator('section[data-operation="webhook"] .empty', { hasText: 'No runs in the undo journal.' }).waitFor();
      // The page's policy came with it: nothing but the nonce'd bundle runs.
      const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp ?? '', /^default-src 'none'; script-src 'nonce-[^']+'/);
      await shot('operations-panel');
      // Keyboard: the first control takes focus with Tab, and Enter on Refresh reads the cluster again.
      await frame.locator('vscode-button', { hasText: 'Refresh' }).focus();
      await page.keyboard.press('Enter');
      await frame.locator('header p', { hasText: `Context ${cluster.context}` }).waitFor();
      await page.keyboard.press('Control+W');
      await page.locator('.tabs-container .tab', { hasText: 'KubeVirt Storage: Operations' }).waitFor({ state: 'detached' });
    },
  },
];
