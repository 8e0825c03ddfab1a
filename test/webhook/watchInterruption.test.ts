// Issue 16 item 4: the webhook keeps patching through a watch interruption. With the API server refusing every
// VolumeSnapshot read (a blip: the watch cannot resume and a direct GET fails too), the cache answers for
// maxStaleMs after it noticed, then lookups are direct GETs (failing open); once the watch is back, the cache
// answers again. The clock is the test's, so the bound is checked without waiting for it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterSnapshots } from '../../webhook/clusterSnapshots.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { call, captureLog, pvcReview, snapshot, startServer, until, type Running } from './helpers.js';

describe('the webhook through a VolumeSnapshot watch interruption', () => {
  let emulator: Emulator;
  let dir: string;
  let running: Running;
  const clock = { ms: 1_000_000 };
  const log = captureLog();
  let source: ReturnType<typeof clusterSnapshots>;

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(join(tmpdir(), 'kvs-webhook-blip-'));
    emulator.store.create(snapshot('vms', 'vm-snap', '20Mi'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, emulator.kubeconfig());
    source = clusterSnapshots({ kubeconfigPath: kubeconfig, logger: log.logger, maxStaleMs: 60_000, now: () => clock.ms });
    running = await startServer({ snapshots: source });
  });
  after(async () => {
    await running?.close();
    source?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const admit = async () => {
    const r = await call(running.port, running.tls.caCertificatePem, 'POST', '/mutate', JSON.stringify(pvcReview()), { 'Content-Type': 'application/json' });
    assert.equal(r.status, 200);
    const response = (JSON.parse(r.body) as { response: { patch?: string; status?: { message: string } } }).response;
    return response.patch ? 'patched' : (response.status?.message ?? 'unchanged');
  };

  test('patches from the cache while the watch reconnects, for at most maxStaleMs; then GETs; then the cache again', async () => {
    await until(() => source.ready(), 'the cache to sync');
    assert.equal(await admit(), 'patched');

    // The blip: every VolumeSnapshot request is refused, and the open watch ends.
    emulator.faults.failNext({ path: /volumesnapshots/ }, 503, 100_000);
    emulator.faults.dropWatches();
    await until(() => log.lines.some((l) => l.event === 'snapshot-cache-unavailable'), 'the cache to notice');
    const noticed = log.lines.find((l) => l.event === 'snapshot-cache-unavailable');
    assert.match(String(noticed?.msg), /answered from the cache for up to 60 s, then by GET/);
    assert.equal(source.ready(), true, 'still ready: it has synced once');

    const getsBefore = emulator.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/volumesnapshots/vm-snap')).length;
    clock.ms += 59_000;
    assert.equal(await admit(), 'patched', 'within the bound: from the cache');
    assert.equal(source.staleAnswers(), 1);
    assert.equal(emulator.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/volumesnapshots/vm-snap')).length, getsBefore, 'no GET was needed');

    clock.ms += 2_000;
    assert.match(await admit(), /could not get VolumeSnapshot vms\/vm-snap: .*allowed unchanged/, 'past the bound: a direct GET, which fails open');

    // The API server is back: the watch resumes and the cache answers again, without a GET.
    emulator.faults.reset();
    await until(() => log.lines.some((l) => l.event === 'snapshot-cache-resumed'), 'the watch to resume', 60_000);
    clock.ms += 3_600_000;
    assert.equal(await admit(), 'patched');
    assert.equal(source.staleAnswers(), 1, 'a synced cache is not stale');
  });
});
