/**
 * Contract tests of cluster/open.ts, the one opener the language server, the CLI and the webhook use: a short
 * look with a deadline, a long-lived follower that retries (network failures, or all), and the webhook's way of
 * opening without a discovery request. Against the API emulator (faults and missing groups are injected).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterError } from '../../cluster/errors.js';
import { openCluster, type ClusterOpener } from '../../cluster/open.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { waitFor } from './target.js';

let emulator: Emulator;
let bare: Emulator;
let dir: string;
const openers: ClusterOpener[] = [];

const kubeconfig = (e: Emulator, name: string, user: 'admin' | 'forbidden' = 'admin'): string => {
  const file = join(dir, name);
  writeFileSync(file, e.kubeconfig({ user, namespace: 'vms', contextName: 'test' }));
  return file;
};
const track = (o: ClusterOpener): ClusterOpener => (openers.push(o), o);

before(async () => {
  emulator = await startEmulator();
  bare = await startEmulator({ withoutGroups: ['snapshot.storage.k8s.io'] });
  dir = mkdtempSync(join(tmpdir(), 'kvs-open-'));
});
after(async () => {
  for (const o of openers) o.dispose();
  await emulator.close();
  await bare.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a short look (deadline)', () => {
  test('connected, discovered, the asked-for caches synced; the namespaced ones watch the connection namespace when asked', async () => {
    const o = track(openCluster({ kubeconfigPath: kubeconfig(emulator, 'look'), env: {}, caches: { only: ['volumeSnapshots', 'storageClasses'], connectionNamespaceOnly: true }, deadline: { ms: 30_000 } }));
    const r = await o.first;
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.value.connection.namespace, 'vms');
    assert.deepEqual([r.value.caches.get('volumeSnapshots')?.state, r.value.caches.get('storageClasses')?.state], ['synced', 'synced']);
    assert.equal(r.value.caches.get('persistentVolumeClaims'), undefined, 'only the asked-for caches');
    assert.equal(r.value.caches.scope('volumeSnapshots'), 'vms');
    assert.deepEqual([r.value.unreadable(), r.value.narrowed()], [[], []]);
    assert.equal(o.current, r.value);
  });

  test('caches not synced by the deadline: a timeout naming them and the knob, and nothing left open', async () => {
    const failures: ClusterError[] = [];
    const o = track(
      openCluster({
        kubeconfigPath: kubeconfig(emulator, 'late'),
        env: {},
        caches: { only: ['volumeSnapshots'] },
        deadline: { ms: 300, name: '--timeout' },
        // The caches' list requests are answered only after the deadline.
        onOpened: () => emulator.faults.latency(1_000),
        onFailed: (e) => failures.push(e),
      }),
    );
    try {
      const r = await o.first;
      assert.equal(r.ok, false);
      assert.equal(r.ok ? '' : r.error.kind, 'timeout');
      assert.match(r.ok ? '' : r.error.message, /\(context "test"\) did not list VolumeSnapshots \(snapshot\.storage\.k8s\.io\) within 0\.3 s \(--timeout\)$/);
      assert.deepEqual(failures.map((e) => e.kind), ['timeout']);
      assert.equal(o.current, undefined, 'the timed-out attempt was closed');
    } finally {
      emulator.faults.reset();
    }
  });

  test('a user who may list nothing: what could not be read, and the namespaced cache narrowed to the connection namespace', async () => {
    const o = track(openCluster({ kubeconfigPath: kubeconfig(emulator, 'denied', 'forbidden'), env: {}, caches: { only: ['storageClasses', 'volumeSnapshots'] }, deadline: { ms: 30_000 } }));
    const r = await o.first;
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(r.value.unreadable().map((u) => [u.name, u.error.kind]), [['storageClasses', 'forbidden'], ['volumeSnapshots', 'forbidden']]);
    assert.deepEqual(r.value.narrowed(), ['volumeSnapshots']);
    assert.equal(r.value.caches.scope('volumeSnapshots'), 'vms');
  });
});

describe('a long-lived follower (retry)', () => {
  test("network failures are retried with backoff, configuration problems only with failures: 'all'; dispose stops the retries", async () => {
    // A port nobody listens on: unreachable.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const unreachable = join(dir, 'unreachable');
    writeFileSync(unreachable, emulator.kubeconfig({ user: 'admin' }).replace(/https:\/\/127\.0\.0\.1:\d+/, `https://127.0.0.1:${port}`));

    const seen: [string, number | undefined][] = [];
    const network = track(openCluster({ kubeconfigPath: unreachable, env: {}, timeoutMs: 2_000, retry: { failures: 'network', backoff: { initialMs: 60_000 } }, onFailed: (e, retry) => seen.push([e.kind, retry]) }));
    const first = await network.first;
    assert.equal(first.ok ? '' : first.error.kind, 'unreachable');
    assert.equal(seen.length, 1);
    assert.ok(typeof seen[0]![1] === 'number' && seen[0]![1] > 0, 'a retry is scheduled');
    network.dispose();

    const missing = join(dir, 'no-such-kubeconfig');
    const calls: (number | undefined)[] = [];
    const patient = track(openCluster({ kubeconfigPath: missing, env: {}, retry: { failures: 'network' }, onFailed: (_, retry) => calls.push(retry) }));
    assert.equal((await patient.first).ok, false);
    assert.deepEqual(calls, [undefined], 'a missing kubeconfig waits for the user');

    const retries: (number | undefined)[] = [];
    const unattended = track(openCluster({ kubeconfigPath: missing, env: {}, retry: { failures: 'all', backoff: { initialMs: 5, maxMs: 5 } }, onFailed: (_, retry) => retries.push(retry) }));
    await waitFor('a few retries', () => retries.length >= 3);
    unattended.dispose();
    const settledAt = retries.length;
    // A retry already under way may still report once; after that, nothing.
    await new Promise<void>((r) => setImmediate(r));
    assert.ok(retries.length <= settledAt + 1);
    assert.ok(retries.every((r) => typeof r === 'number'));
  });

  test('onOpened hands over the connection and caches before they sync; first settles once they have', async () => {
    const order: string[] = [];
    const o = track(openCluster({ kubeconfigPath: kubeconfig(emulator, 'follow'), env: {}, caches: { only: ['storageClasses'] }, retry: { failures: 'network' }, onOpened: (c) => order.push(`opened:${c.caches.get('storageClasses')?.state}`) }));
    const r = await o.first;
    assert.ok(r.ok);
    order.push(`first:${r.value.caches.get('storageClasses')?.state}`);
    assert.deepEqual(order, ['opened:syncing', 'first:synced']);
  });
});

describe("the webhook's way: no discovery request", () => {
  test("discovery 'assume' asks nothing of /apis; a group the cluster lacks turns its cache not-served", async () => {
    const before = bare.requests.length;
    const o = track(openCluster({ kubeconfigPath: kubeconfig(bare, 'assume'), env: {}, verify: false, discovery: 'assume', caches: { only: ['volumeSnapshots'], narrowOnForbidden: false } }));
    const r = await o.first;
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.value.caches.get('volumeSnapshots')?.state, 'not-served');
    const paths = bare.requests.slice(before).map((q) => q.path);
    assert.ok(!paths.some((p) => p === '/apis' || p === '/version'), paths.join(', '));
    assert.ok(paths.some((p) => p === '/apis/snapshot.storage.k8s.io/v1/volumesnapshots'), paths.join(', '));
  });
});
