/**
 * VolumeResize in the language server (dist/server.js over stdio) against the API emulator with the simulated
 * operator: the explorer's migrations follow a migration step by step through the watch (`changed`, no polling),
 * the progress request gives the grid, the timeline, the backup and the PVC/PV names, the diagnostics of a
 * VolumeResize use the cluster (every replica's PVC, the kubelets' stats), and the choices for a start.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CompletionRequest, DidOpenTextDocumentNotification, PublishDiagnosticsNotification, type CompletionItem, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { explorerChildrenRequest, type ExplorerNode } from '../../protocol/explorer.js';
import {
  volumeResizeChangedNotification,
  volumeResizeChoicesRequest,
  volumeResizeInDocumentRequest,
  volumeResizeListRequest,
  volumeResizeProgressRequest,
  type VolumeResizeRef,
} from '../../protocol/volumeResize.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startSimulation, type Simulation } from '../sim/index.js';
import { seedStatefulSet, volumeResize } from '../sim/seed.js';
import { LspClient } from './lspClient.js';

const serverPath = resolve('dist/server.js');

describe('VolumeResize over LSP, against the emulator and the simulated operator', () => {
  let lsp: LspClient;
  let emu: Emulator;
  let sim: Simulation;
  let folder: string;
  const changed: VolumeResizeRef[] = [];
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const configuration = { cluster: { kubeconfig: '' } };

  const children = async (parent: string): Promise<ExplorerNode[]> => (await lsp.within(lsp.connection.sendRequest(explorerChildrenRequest, { parent }), `children of ${parent}`)).nodes;
  const until = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr: ${lsp.stderr || '(empty)'}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  before(async () => {
    assert.ok(existsSync(serverPath), `${serverPath} is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'kubevirt-storage-resize-'));
    emu = await startEmulator();
    sim = startSimulation(emu);
    await seedStatefulSet(emu, sim, { namespace: 'shop', replicas: 2, used: 3n * 1024n ** 3n });
    const kubeconfig = join(folder, 'emulator.kubeconfig');
    writeFileSync(kubeconfig, emu.kubeconfig({ contextName: 'emulator', namespace: 'shop' }));
    configuration.cluster.kubeconfig = kubeconfig;
    lsp = await LspClient.start({ serverPath, workspaceFolder: pathToFileURL(folder).href, configuration: () => configuration });
    lsp.connection.onNotification(volumeResizeChangedNotification, (p: VolumeResizeRef) => changed.push(p));
    lsp.connection.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => diagnostics.set(p.uri, p));
    await until('the migrations folder', async () => ((await children('context')).some((n) => n.id === 'volumeResizes') ? true : undefined));
  });

  after(async () => {
    sim?.stop();
    lsp?.dispose();
    await emu?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
    assert.deepEqual(sim.errors, []);
  });

  test('a VolumeResize at the cursor is checked against the cluster: the data in use, every replica', async () => {
    const uri = pathToFileURL(join(folder, 'resize.yaml')).href;
    const text = 'apiVersion: storage.maurice.fr/v1alpha1\nkind: VolumeResize\nmetadata:\n  name: shrink-db\n  namespace: shop\nspec:\n  statefulSetName: db\n  volumes:\n    - name: data\n      newSize: 2Gi\n';
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const d = await until('volumeresize-below-used from the kubelet stats', async () => diagnostics.get(uri)?.diagnostics.find((x) => x.code === 'volumeresize-below-used'));
    assert.equal(d.severity, 1);
    assert.match(d.message, /replica 0 holds 3Gi .* on data-db-0 and replica 1 holds 3Gi/);
    assert.equal(d.source, 'kubevirt-storage');
    const at = await lsp.within(lsp.connection.sendRequest(volumeResizeInDocumentRequest, { uri, line: 7 }), 'the VolumeResize at the cursor');
    assert.deepEqual(at, { ok: true, name: 'shrink-db', namespace: 'shop', statefulSet: 'db', volumes: [{ name: 'data', newSize: '2Gi' }] });
    const choices = await lsp.within(lsp.connection.sendRequest(volumeResizeChoicesRequest, {}), 'the choices');
    assert.ok(choices.ok);
    assert.deepEqual(choices.statefulSets.map((s) => [s.name, s.replicas, s.volumes.map((v) => [v.name, v.size, v.suggested])]), [['db', 2, [['data', '10Gi', '3840Mi']]]]);
  });

  test('completion in a VolumeResize: the StatefulSets of the cluster, their volumes, its classes, a size from the kubelet stats', async () => {
    const open = async (file: string, spec: string) => {
      const uri = pathToFileURL(join(folder, file)).href;
      const text = `apiVersion: storage.maurice.fr/v1alpha1\nkind: VolumeResize\nmetadata:\n  name: shrink-more\n  namespace: shop\nspec:\n${spec}`;
      await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      return async (line: number) => {
        const r = await lsp.within(lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character: text.split('\n')[line]!.length } }), `completion on line ${line}`);
        return Array.isArray(r) ? r : (r?.items ?? []);
      };
    };
    const labels = (items: CompletionItem[]) => (items.length ? items.map((i) => i.label) : undefined);
    const first = await open('complete-sts.yaml', '  statefulSetName: \n');
    assert.deepEqual(await until('the StatefulSets', async () => labels(await first(6))), ['db']);
    const second = await open('complete-volume.yaml', '  statefulSetName: db\n  volumes:\n    - name: d\n      newSize: \n      storageClass: \n');
    const volumes = await until('the volumes of db', async () => (await second(8)).length ? await second(8) : undefined);
    assert.deepEqual(volumes.map((i) => [i.label, i.detail, i.textEdit]), [['data', '10Gi · class fast', { range: { start: { line: 8, character: 12 }, end: { line: 8, character: 13 } }, newText: 'data' }]]);
    assert.deepEqual(await until('the classes', async () => labels(await second(10))), ['fast']);
    assert.deepEqual(await second(9), [], 'volume "d" is not one of db\'s: no size to suggest');
    const third = await open('complete-size.yaml', '  statefulSetName: db\n  volumes:\n    - name: data\n      newSize: \n');
    assert.deepEqual(await until('the suggested size', async () => labels(await third(9))), ['3840Mi']);
  });

  test('the migrations tree and the progress follow a migration through the watch, step by step', async () => {
    const hold = sim.operator.hold({ step: 'migrator', namespace: 'shop', replica: 1 });
    emu.store.create(volumeResize('shrink-db', [{ name: 'data', newSize: '4Gi' }], { namespace: 'shop' }));
    await hold.reached;
    await until('changed for shrink-db', async () => (changed.some((c) => c.name === 'shrink-db') ? true : undefined));
    const running = await until('the migration at replica 1', async () => (await children('volumeResizes')).find((n) => n.label === 'shrink-db' && /replica 1/.test(n.description ?? '')));
    assert.equal(running.kind, 'volumeResize');
    assert.match(running.description!, /^Syncing · replica 1 × data · 1\/2 moved · shop\/db$/);
    assert.equal(running.icon, 'sync~spin');
    assert.deepEqual(running.tags, ['running']);
    assert.deepEqual(running.object, { apiVersion: 'storage.maurice.fr/v1alpha1', kind: 'VolumeResize', namespace: 'shop', name: 'shrink-db' });
    const cells = await children(running.id);
    // The operator writes a cell's Syncing only when it writes the status again (at the end of the copy, or on a
    // failure): during the copy the cell it works on still reads Pending, and "now" says it is the current one.
    assert.deepEqual(cells.map((c) => [c.label, c.description?.split(' · ')[0]]), [['replica 0 × data', 'Completed'], ['replica 1 × data', 'Pending (now)']]);
    const folderNode = (await children('context')).find((n) => n.id === 'volumeResizes')!;
    assert.equal(folderNode.description, '1 running');

    const p = await lsp.within(lsp.connection.sendRequest(volumeResizeProgressRequest, { namespace: 'shop', name: 'shrink-db' }), 'the progress');
    assert.ok(p.ok, p.ok ? '' : p.message);
    assert.deepEqual([p.progress.phase, p.progress.currentReplica, p.progress.replicas], ['Syncing', 1, [0, 1]]);
    const [c0, c1] = p.progress.grid;
    assert.deepEqual([c0!.phase, c0!.oldPvc, c0!.current], ['Completed', 'data-db-0', false]);
    assert.ok(c0!.newPv && c0!.newPv !== c0!.oldPv, 'replica 0 is on its new PV');
    assert.deepEqual([c1!.phase, c1!.newPvc, c1!.current], ['Pending', 'data-db-1-new', true]);
    assert.ok(c1!.newPv, 'the copy of replica 1 has its PV');
    assert.equal(p.progress.backup.state, 'present');
    assert.match(p.progress.backup.detail ?? '', /StatefulSet db, 2 replicas, claim templates data 10Gi/);
    assert.ok(p.progress.timeline.some((e) => /^replica 0 × data: Completed \(PVC replaced\)$/.test(e.what)), p.progress.timeline.map((e) => e.what).join('\n'));
    assert.ok(p.progress.timeline.at(-1)!.open, 'the step in progress counts on');

    hold.release();
    const done = await until('Completed in the tree', async () => (await children('volumeResizes')).find((n) => n.label === 'shrink-db' && n.description?.startsWith('Completed')));
    assert.deepEqual([done.icon, done.severity, done.tags], ['pass', 'ok', ['finished']]);
    const list = await lsp.within(lsp.connection.sendRequest(volumeResizeListRequest), 'the list');
    assert.deepEqual(list, { ok: true, items: [{ namespace: 'shop', name: 'shrink-db', phase: 'Completed', message: 'Migration completed successfully' }] });
    const end = await lsp.within(lsp.connection.sendRequest(volumeResizeProgressRequest, { namespace: 'shop', name: 'shrink-db' }), 'the progress at the end');
    assert.ok(end.ok);
    assert.equal(end.progress.timeline.some((e) => e.open), false);
    assert.match(end.progress.timeline.at(-1)!.what, /^Completed: Migration completed successfully$/);
  });

  test('a failed migration is marked for rollback in the tree', async () => {
    await seedStatefulSet(emu, sim, { namespace: 'shop', name: 'cache', replicas: 1 });
    sim.operator.failAt({ step: 'migrator', namespace: 'shop' });
    emu.store.create(volumeResize('shrink-cache', [{ name: 'data', newSize: '4Gi' }], { namespace: 'shop', statefulSet: 'cache' }));
    const failed = await until('Failed in the tree', async () => (await children('volumeResizes')).find((n) => n.label === 'shrink-cache' && n.description?.startsWith('Failed')));
    assert.deepEqual([failed.icon, failed.severity, failed.tags], ['error', 'error', ['failed']]);
    assert.match(failed.tooltip ?? '', /Roll Back VolumeResize…/);
    const p = await lsp.within(lsp.connection.sendRequest(volumeResizeProgressRequest, { namespace: 'shop', name: 'shrink-cache' }), 'the progress');
    assert.ok(p.ok);
    assert.equal(p.progress.failed, true);
    assert.equal(p.progress.message, 'migration pod failed');
  });
});
