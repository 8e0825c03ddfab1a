/**
 * Issue 16 item 6: the language server never runs a kubeconfig's credential plugin (`exec`) unasked. It asks the
 * client (`approveCredentialPlugin`); refused, or a client that cannot be asked, the plugin never runs and the
 * status says why; allowed, it runs and the cluster connects. The plugin here is a script that records each run.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { approveCredentialPluginRequest, type ApproveCredentialPluginParams } from '../../protocol/credentials.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { LspClient } from './lspClient.js';

const serverPath = resolve('dist/server.js');

describe('language server: credential plugins need the client’s approval', () => {
  let emu: Emulator;
  let folder: string;
  let kubeconfig: string;
  let marker: string;
  const clients: LspClient[] = [];

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-lsp-exec-'));
    emu = await startEmulator();
    marker = join(folder, 'plugin-runs.txt');
    const plugin = join(folder, 'plugin.cjs');
    writeFileSync(
      plugin,
      `require('fs').appendFileSync(${JSON.stringify(marker)}, 'ran\\n');\nprocess.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(emu.tokens.admin)} } }));\n`,
    );
    const base = (await import('yaml')).parse(emu.kubeconfig({ contextName: 'lab' })) as { users: { name: string; user: object }[] };
    base.users = [{ name: base.users[0]!.name, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } } }];
    kubeconfig = join(folder, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, stringify(base));
  });
  after(async () => {
    for (const c of clients) c.dispose();
    // A killed server, or an exec plugin it started, may still be writing into the folder (rmdir saw ENOTEMPTY once):
    // wait for the servers to exit (bounded), and let rmSync retry.
    await Promise.race([Promise.all(clients.map((c) => c.exited)), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    await emu?.close();
    if (folder) rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  const start = async (answer: ((p: ApproveCredentialPluginParams) => boolean) | undefined, asked: ApproveCredentialPluginParams[] = []) => {
    const lsp = await LspClient.start({
      serverPath,
      workspaceFolder: pathToFileURL(folder).href,
      configuration: () => ({ cluster: { kubeconfig } }),
      ...(answer
        ? {
            handlers: (connection) =>
              connection.onRequest(approveCredentialPluginRequest, (p) => {
                asked.push(p);
                return { approved: answer(p) };
              }),
          }
        : {}),
    });
    clients.push(lsp);
    return lsp;
  };
  const runs = (): number => (existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0);

  test('refused: the plugin never runs, and the status says why', async () => {
    const asked: ApproveCredentialPluginParams[] = [];
    const lsp = await start(() => false, asked);
    const status = await lsp.waitFor(() => lsp.statuses.find((s) => s.cluster?.state === 'unavailable'), 'the refusal in the status');
    assert.match(status.cluster?.message ?? '', /gets its credentials by running ".*plugin\.cjs", which was not allowed/);
    assert.equal(asked.length, 1);
    assert.deepEqual({ kubeconfig: asked[0]!.kubeconfig, context: asked[0]!.context, command: asked[0]!.command }, { kubeconfig, context: 'lab', command: process.execPath });
    assert.equal(runs(), 0, 'the plugin did not run');
    await lsp.shutdown();
  });

  test('a client that cannot be asked: the plugin never runs', async () => {
    const lsp = await start(undefined);
    await lsp.waitFor(() => lsp.statuses.find((s) => s.cluster?.state === 'unavailable'), 'the refusal in the status');
    assert.ok(lsp.warnLogs.some((l) => /could not be asked whether to run the credential plugin/.test(l)));
    assert.equal(runs(), 0);
    await lsp.shutdown();
  });

  test('allowed: the plugin runs and the cluster connects', async () => {
    const lsp = await start(() => true);
    await lsp.waitFor(() => lsp.statuses.find((s) => s.cluster?.state === 'connected'), 'a connected cluster');
    assert.ok(runs() >= 1, 'the plugin ran once allowed');
    await lsp.shutdown();
  });
});
