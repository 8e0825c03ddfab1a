/**
 * The server side of `npm run bench:webhook`: the real webhook server (webhook/server.ts) over an
 * in-memory, warm VolumeSnapshot source, in its own process so that the load generator does not share its
 * core. Talks to the driver over IPC: sends `{ port, ca }` once listening; answers `mem` with its memory
 * (after a full GC) and CPU time, `peak` with the highest RSS sampled every 10 ms since the last `peak` (no GC).
 * `KVS_BENCH_WEBHOOK_CAPS=off` lifts the caps on reviews in flight and body bytes held (as before issue 16), to
 * compare.
 */
import { readFileSync } from 'node:fs';
import { generateSelfSignedTls } from '../core/ops/webhook/selfSigned.js';
import { jsonLogger } from '../webhook/log.js';
import { createWebhookServer } from '../webhook/server.js';
import { MemorySnapshotSource } from '../webhook/snapshotSource.js';

export interface ServerMemory {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Linux: time the main thread spent runnable but waiting for a CPU (other processes' load), ms. */
  runQueueWaitMs?: number;
  /** The server's own admission_duration_seconds histogram: [upper bound in s, cumulative count]. */
  latencyBuckets: [number, number][];
}

export interface ServerPeak {
  peakRssBytes: number;
  rssBytes: number;
  heapUsedBytes: number;
}

/** `/proc/self/schedstat`: "on-CPU ns, run-queue wait ns, timeslices" of the main thread. */
function runQueueWaitMs(): number | undefined {
  try {
    const wait = Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]);
    return Number.isFinite(wait) ? wait / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

function buckets(metrics: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of metrics.matchAll(/_admission_duration_seconds_bucket\{le="([^"]+)"\} (\d+)/g)) out.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  return out;
}

async function main(): Promise<void> {
  const tls = await generateSelfSignedTls({ dnsNames: ['kubevirt-storage-restore-size.bench.svc'], now: new Date(), crypto: globalThis.crypto });
  const snapshots = new MemorySnapshotSource();
  for (let i = 0; i < 1000; i++) {
    snapshots.put({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { namespace: `ns-${i % 50}`, name: `snap-${i}` }, status: { readyToUse: true, restoreSize: '20Mi' } });
  }
  // Production logging: one JSON line per patch to stdout (the driver sends it to /dev/null).
  const uncapped = process.env.KVS_BENCH_WEBHOOK_CAPS === 'off' ? { maxInFlight: Infinity, maxBufferedBytes: Infinity, maxConnections: Infinity } : {};
  const webhook = createWebhookServer({ tls: { cert: tls.certificatePem, key: tls.privateKeyPem }, snapshots, logger: jsonLogger({ level: 'info' }), ...uncapped });
  let peakRss = process.memoryUsage.rss();
  setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10).unref();
  const address = await webhook.listen(0, '127.0.0.1');
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (m: unknown) => {
    if (m === 'mem') {
      gc?.();
      const mem = process.memoryUsage();
      const cpu = process.cpuUsage();
      const reply: ServerMemory = { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, externalBytes: mem.external, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, runQueueWaitMs: runQueueWaitMs(), latencyBuckets: buckets(webhook.metrics.render()) };
      process.send?.({ mem: reply });
    } else if (m === 'peak') {
      const mem = process.memoryUsage();
      const reply: ServerPeak = { peakRssBytes: Math.max(peakRss, mem.rss), rssBytes: mem.rss, heapUsedBytes: mem.heapUsed };
      peakRss = mem.rss;
      process.send?.({ peak: reply });
    } else if (m === 'stop') {
      void webhook.shutdown(1000).then(() => process.exit(0));
    }
  });
  process.send?.({ port: address.port, ca: tls.caCertificatePem, servername: 'kubevirt-storage-restore-size.bench.svc' });
}

void main();
