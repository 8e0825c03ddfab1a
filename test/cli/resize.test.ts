// `kvstorage resize ...` in-process against the API emulator with the simulated operator (test/sim): start
// through the engine (and --watch), volmig's list/status/describe text in the context's namespace, watch lines
// from a watch, exit 1 on Failed, rollback and delete through the engine.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CommandEnv } from '../../cli/command.js';
import { dispatch } from '../../cli/commands.js';
import { age, goDuration, listText, statusText, describeText, tabulate, utcClock, watchLine } from '../../cli/resizeFormat.js';
import { readVolumeResize } from '../../core/volumeResize/model.js';
import { waitFor } from '../cluster/target.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startSimulation, type Simulation } from '../sim/index.js';
import { seedStatefulSet, volumeResize } from '../sim/seed.js';

const vrObject = (status: object, extra: object = {}) => ({
  apiVersion: 'storage.maurice.fr/v1alpha1',
  kind: 'VolumeResize',
  metadata: { name: 'resize-weaviate', namespace: 'default', creationTimestamp: '2026-01-28T10:00:00Z' },
  spec: { statefulSetName: 'weaviate', volumes: [{ name: 'weaviate-data', newSize: '500Mi' }, { name: 'logs', newSize: '100Mi', storageClass: 'standard' }] },
  status,
  ...extra,
});

describe("volmig's output (cmd/volmig/cmd at 1ffafc1)", () => {
  const clock = utcClock(new Date('2026-01-28T12:30:00Z'));
  const running = readVolumeResize(
    vrObject({
      phase: 'Syncing',
      currentReplica: 1,
      currentVolume: 'weaviate-data',
      message: 'Migrating replica 1 volume weaviate-data',
      startTime: '2026-01-28T10:00:05Z',
      backupConfigMapName: 'resize-weaviate-sts-backup',
      volumeStatuses: [
        { volumeName: 'weaviate-data', replica: 0, phase: 'Completed', message: 'PVC replaced', oldPVCName: 'weaviate-data-weaviate-0', newPVCName: 'weaviate-data-weaviate-0-new', oldPVName: 'pvc-0' },
        { volumeName: 'weaviate-data', replica: 1, phase: 'Syncing', message: 'Preparing migration and a message longer than forty characters' },
      ],
    }),
  )!;

  test('status: icon, phase, target volumes with class or (default), the replica table (messages cut at 40), timing, backup', () => {
    assert.equal(
      statusText(running, clock),
      [
        '🔄 VolumeResize: resize-weaviate',
        '   Phase: Syncing',
        '   Message: Migrating replica 1 volume weaviate-data',
        '',
        'Target: StatefulSet/weaviate',
        '   Volume: weaviate-data → 500Mi [(default)]',
        '   Volume: logs → 100Mi [standard]',
        '',
        'Replica Status:',
        '  REPLICA  VOLUME         PHASE        MESSAGE',
        '  0        weaviate-data  ✅ Completed  PVC replaced',
        '  1        weaviate-data  🔄 Syncing    Preparing migration and a message lon...',
        '',
        'Started: 2026-01-28 10:00:05',
        'Backup ConfigMap: resize-weaviate-sts-backup',
        '',
      ].join('\n'),
    );
    const done = readVolumeResize(vrObject({ phase: 'Completed', message: 'Migration completed successfully', startTime: '2026-01-28T10:00:05Z', completionTime: '2026-01-28T11:02:35Z' }))!;
    assert.match(statusText(done, clock), /^✅ VolumeResize: resize-weaviate\n {3}Phase: Completed\n[\s\S]*Started: 2026-01-28 10:00:05\nCompleted: 2026-01-28 11:02:35\nDuration: 1h2m30s\n$/);
    assert.match(statusText(readVolumeResize(vrObject({}))!, clock), /^⏳ VolumeResize: resize-weaviate\n {3}Phase: Pending\n\n/);
    assert.match(statusText(readVolumeResize(vrObject({ phase: 'Failed', message: 'migration pod failed' }))!, clock), /^❌ /);
  });

  test('list: columns, - for no replica, Pending for no phase, messages cut at 40 (60 wide), VOLUMES and AGE with -o wide, NAMESPACE with -A', () => {
    const pending = readVolumeResize({ ...vrObject({}), metadata: { name: 'new-one', namespace: 'shop', creationTimestamp: '2026-01-28T12:29:15Z' } })!;
    assert.equal(
      listText([running, pending], { allNamespaces: false, wide: false, namespace: 'default', clock }),
      'NAME             STATEFULSET  PHASE    REPLICA  MESSAGE\nresize-weaviate  weaviate     Syncing  1        Migrating replica 1 volume weaviate-data\nnew-one          weaviate     Pending  -\n',
    );
    const wide = listText([running, pending], { allNamespaces: true, wide: true, namespace: 'default', clock });
    assert.equal(wide.split('\n')[0], 'NAMESPACE  NAME             STATEFULSET  PHASE    REPLICA  MESSAGE                                   VOLUMES                         AGE');
    assert.match(wide, /weaviate-data:500Mi,logs:100Mi\s+2h\n/);
    assert.match(wide, /new-one .* 45s\n$/);
    assert.equal(listText([], { allNamespaces: false, wide: false, namespace: 'shop', clock }), "No VolumeResize resources found in namespace 'shop'\n");
    assert.equal(listText([], { allNamespaces: true, wide: false, namespace: 'shop', clock }), 'No VolumeResize resources found in any namespace\n');
  });

  test('describe, watch lines, ages and Go durations', () => {
    const d = describeText(running, clock);
    assert.match(d, /^Name: {9}resize-weaviate\nNamespace: {4}default\nCreated: {6}2026-01-28 10:00:00\n\nSpec:\n {2}StatefulSet: {2}weaviate\n {2}Volumes:\n {4}- Name: {5}weaviate-data\n {6}NewSize: {2}500Mi\n {4}- Name: {5}logs\n {6}NewSize: {2}100Mi\n {6}StorageClass: standard\n\nStatus:\n {2}Phase: {8}Syncing\n {2}CurrentReplica: 1\n {2}CurrentVolume: {2}weaviate-data\n/);
    assert.match(d, /\nVolume Statuses:\n {2}- Volume: weaviate-data, Replica: 0\n {4}Phase: {4}Completed\n {4}OldPVC: {3}weaviate-data-weaviate-0\n {4}NewPVC: {3}weaviate-data-weaviate-0-new\n {4}OldPV: {4}pvc-0\n {4}Message: {2}PVC replaced\n/);
    assert.doesNotMatch(d, /Conditions:/, 'shown only when there are some');
    assert.equal(watchLine(running, new Date('2026-01-28T12:30:07Z'), clock), '[12:30:07] Phase: Syncing      | Replica: 1 | Volume: weaviate-data | Migrating replica 1 volume weaviate-data\n');
    assert.deepEqual([age(59_000), age(60_000), age(3_600_000 * 5), age(86_400_000 * 3)], ['59s', '1m', '5h', '3d']);
    assert.deepEqual([goDuration(0), goDuration(45_000), goDuration(90_000), goDuration(3_605_000)], ['0s', '45s', '1m30s', '1h0m5s']);
    assert.equal(tabulate([['a', 'bb', 'c'], ['ddd', 'e', '']]), 'a    bb  c\nddd  e\n');
  });
});

describe('kvstorage resize against the emulator', () => {
  let emu: Emulator;
  let sim: Simulation;
  let dir: string;
  let kubeconfig: string;
  const env = (o: Partial<CommandEnv> = {}): CommandEnv => ({ cwd: process.cwd(), stdin: Readable.from([]), color: false, version: '0.0.0', env: {}, progress: () => undefined, ...o });
  const run = (args: string[], o: Partial<CommandEnv> = {}) => dispatch([...args, '--kubeconfig', kubeconfig, '--journal-namespace', 'kvs-cli-journal'], env(o));
  const phase = (ns: string, name: string) => (emu.store.get('storage.maurice.fr/v1alpha1', 'VolumeResize', ns, name) as { status?: { phase?: string } } | undefined)?.status?.phase;

  before(async () => {
    emu = await startEmulator({ https: false });
    sim = startSimulation(emu);
    dir = mkdtempSync(join(tmpdir(), 'kvs-cli-resize-'));
    kubeconfig = join(dir, 'config');
    // The context's namespace is shop: every command works there without -n (volmig's default is "default").
    writeFileSync(kubeconfig, emu.kubeconfig({ contextName: 'lab', namespace: 'shop' }));
  });
  after(async () => {
    sim.stop();
    assert.deepEqual(sim.errors, []);
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('start through the engine in the context namespace, then watch lines until Completed (exit 0)', async () => {
    await seedStatefulSet(emu, sim, { namespace: 'shop', replicas: 2, used: 1024n ** 3n });
    const refused = await run(['resize', 'start', 'shrink-db', '--statefulset', 'db', '--volume', 'data', '--size', '4Gi']);
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /no terminal to ask on; rerun with --yes/);
    const h = sim.operator.hold({ step: 'migrator', namespace: 'shop', replica: 1 });
    const started = await run(['resize', 'start', 'shrink-db', '--statefulset', 'db', '--volume', 'data', '--size', '4Gi', '--yes']);
    assert.equal(started.exitCode, 0, started.stderr);
    assert.match(started.stdout, /Start VolumeResize shop\/shrink-db: shrink data to 4Gi on 2 replicas of StatefulSet db \(context lab\)\n {2}create {2}VolumeResize shop\/shrink-db/);
    assert.match(started.stdout, /It keeps: every old PV/);
    assert.match(started.stdout, /Applied: 1 to create\./);
    await h.reached;
    const lines: string[] = [];
    const watching = run(['resize', 'watch', 'shrink-db'], { stdout: (t) => void lines.push(t) });
    await waitFor('a watch line for replica 1', () => lines.some((l) => /Replica: 1 \| Volume: data/.test(l)));
    h.release();
    const w = await watching;
    assert.equal(w.exitCode, 0, w.stderr);
    const text = lines.join('');
    assert.match(text, /^Watching VolumeResize 'shrink-db' in namespace 'shop'\.\.\.\n\n\[\d\d:\d\d:\d\d\] Phase: Syncing {6}\| Replica: 1 \| Volume: data \| Migrating replica 1 volume data\n/);
    assert.match(text, /\[\d\d:\d\d:\d\d\] Phase: Completed {4}\| Migration completed successfully\n\nMigration completed successfully!\nDuration: \d+s\n$/);
    const list = await run(['resize', 'list']);
    assert.match(list.stdout, /^NAME {7}STATEFULSET {2}PHASE {6}REPLICA {2}MESSAGE\nshrink-db  db {11}Completed  - {8}Migration completed successfully\n$/);
    const json = await run(['resize', 'list', '-A', '-o', 'json']);
    assert.equal((JSON.parse(json.stdout) as { items: unknown[] }).items.length, 1);
    const status = await run(['resize', 'status', 'shrink-db']);
    assert.equal(status.exitCode, 0);
    assert.match(status.stdout, /^✅ VolumeResize: shrink-db\n/);
    assert.match(status.stdout, /Duration: /);
    const other = await run(['resize', 'list', '-n', 'elsewhere']);
    assert.equal(other.stdout, "No VolumeResize resources found in namespace 'elsewhere'\n");
  });

  test('start --watch of a migration that fails: exit 1, "Migration failed" on stderr; status and describe exit 1; rollback and delete through the engine', async () => {
    await seedStatefulSet(emu, sim, { namespace: 'shop', name: 'cache', replicas: 2 });
    sim.operator.failAt({ step: 'migrator', namespace: 'shop', replica: 1 });
    const r = await run(['resize', 'start', 'shrink-cache', '--statefulset', 'cache', '--volume', 'data', '--size', '4Gi', '--yes', '--watch']);
    assert.equal(r.exitCode, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Applied: 1 to create\.[\s\S]*Watching VolumeResize 'shrink-cache'[\s\S]*Phase: Failed {7}\| Replica: 1 \| Volume: data \| migration pod failed\n\n$/);
    assert.match(r.stderr, /Migration failed: migration pod failed\n$/);
    const status = await run(['resize', 'status', 'shrink-cache', '-o', 'json']);
    assert.equal(status.exitCode, 1);
    assert.deepEqual((JSON.parse(status.stdout) as { grid: { replica: number; phase: string }[] }).grid.map((c) => `${c.replica}:${c.phase}`), ['0:Completed', '1:Syncing']);
    const described = await run(['resize', 'describe', 'shrink-cache']);
    assert.equal(described.exitCode, 1);
    assert.match(described.stdout, /Phase: {8}Failed\n/);
    const deleteAdvised = await run(['resize', 'delete', 'shrink-cache', '--yes']);
    assert.equal(deleteAdvised.exitCode, 2);
    assert.match(deleteAdvised.stderr, /StatefulSet cache is deleted .* Roll back first \(kvstorage resize rollback shrink-cache\)\. Use --force/);
    const back = await run(['resize', 'rollback', 'shrink-cache', '--yes', '--one-step']);
    assert.equal(back.exitCode, 0, back.stdout + back.stderr);
    assert.match(back.stdout, /shrink-cache: Stop the copies \(3 steps to go\) \(context lab\)\n {2}delete {2}Pod shop\/shrink-cache-migrator-1-data\n[^\n]*\nDeleted for good: pod shrink-cache-migrator-1-data \(copies/);
    assert.match(back.stdout, /shrink-cache: Release the copies' claims \(2 steps to go\)[\s\S]*shrink-cache: Restore the StatefulSet \(1 step to go\)[\s\S]*Verified: PVC data-cache-1 is bound to its old PV/);
    await waitFor('cache-1 runs again', () => (emu.store.get('v1', 'Pod', 'shop', 'cache-1') as { status?: { phase?: string } } | undefined)?.status?.phase === 'Running');
    const gone = await run(['resize', 'delete', 'shrink-cache', '--yes']);
    assert.equal(gone.exitCode, 0, gone.stderr);
    assert.match(gone.stdout, /finalizer then deletes every PVC and pod labelled with this migration's name: none exists now\.\nStays: PVC data-cache-0 on PV \S+ \(reclaimPolicy Retain\); PVC data-cache-1 on PV \S+ \(reclaimPolicy Retain\); PV \S+ \(old volume, reclaimPolicy Retain\); ConfigMap shrink-cache-sts-backup \(the StatefulSet's backup\); StatefulSet cache as it is now\./);
    assert.equal(phase('shop', 'shrink-cache'), undefined);
  });

  test('lint --kubeconfig checks a VolumeResize against the cluster: every replica, the data in use from the kubelets', async () => {
    await seedStatefulSet(emu, sim, { namespace: 'shop', name: 'search', replicas: 2, used: 6n * 1024n ** 3n });
    const file = join(dir, 'resize.yaml');
    const manifest = (size: string, sts = 'search') =>
      `apiVersion: storage.maurice.fr/v1alpha1\nkind: VolumeResize\nmetadata:\n  name: shrink-search\nspec:\n  statefulSetName: ${sts}\n  volumes:\n    - name: data\n      newSize: ${size}\n`;
    writeFileSync(file, manifest('4Gi'));
    const r = await dispatch(['lint', file, '--kubeconfig', kubeconfig, '-f', 'json'], env());
    assert.equal(r.exitCode, 1, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: { rule: string; severity: string; message: string }[] }).findings;
    const below = findings.find((f) => f.rule === 'volumeresize-below-used');
    assert.equal(below?.severity, 'error');
    assert.match(below!.message, /replica 0 holds 6Gi .* on data-search-0 and replica 1 holds 6Gi/);
    writeFileSync(file, manifest('8Gi', 'serach'));
    const missing = (JSON.parse((await dispatch(['lint', file, '--kubeconfig', kubeconfig, '-f', 'json'], env())).stdout) as { findings: { rule: string; severity: string; message: string }[] }).findings;
    assert.deepEqual(missing.map((f) => [f.rule, f.severity]), [['volumeresize-statefulset-not-found', 'error']]);
    assert.match(missing[0]!.message, /namespace shop of context lab/);
    // A kubelet that does not answer: said plainly, as an info.
    const node = (emu.store.get('v1', 'Pod', 'shop', 'search-1') as { spec: { nodeName: string } }).spec.nodeName;
    emu.kubelets.delete(node);
    writeFileSync(file, manifest('8Gi'));
    const quiet = (JSON.parse((await dispatch(['lint', file, '--kubeconfig', kubeconfig, '-f', 'json'], env())).stdout) as { findings: { rule: string; severity: string; message: string }[] }).findings;
    assert.deepEqual(quiet.map((f) => [f.rule, f.severity]), [['volumeresize-below-used', 'info']]);
    assert.match(quiet[0]!.message, new RegExp(`data-search-1 cannot be read from the kubelet's stats \\(the kubelet of node ${node} does not answer through the API server \\(503`));
  });

  test('a name that does not exist, a cluster without the CRD', async () => {
    const missing = await run(['resize', 'status', 'nope']);
    assert.deepEqual([missing.exitCode, missing.stderr], [2, 'kvstorage resize status: VolumeResize shop/nope does not exist (context lab).\n']);
    const usage = await run(['resize', 'start', 'x', '--statefulset', 'db', '--volume', 'data']);
    assert.equal(usage.exitCode, 2);
    assert.match(usage.stderr, /required option '--size <quantity>' not specified/);
    emu.store.create(volumeResize('later', [{ name: 'data', newSize: '1Gi' }], { namespace: 'shop' }));
    void phase;
  });
});
