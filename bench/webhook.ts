/**
 * `npm run bench:webhook`: admissions per second and latency of POST /mutate over HTTPS on loopback with a
 * warm snapshot cache, and the server's memory across a long run (1,000,000 requests by default).
 *
 * The server (bench/webhookServer.ts: the real server, an in-memory snapshot source) runs in its own
 * process pinned to CPU 0; this process generates load from CPU 1 (taskset, when there are two CPUs), so
 * the figures are the server's on one core, not shared with the client. Load: `--concurrency` keep-alive
 * connections, each sending the next review as soon as the last answer arrives (closed loop). Every review
 * is the seed scenario (a labelled restore PVC asking 22229812 bytes of a 20Mi snapshot), the costliest
 * path: lookup, patch, and one JSON log line (to /dev/null). Latency is measured by the client, request
 * start to the end of the answer. Prints figures and whether each target is met; never fails on them.
 * Two phases: (1) saturation, closed loop over `--requests`, for throughput and memory (RSS and heap after
 * a forced GC every `--checkpoint` requests); (2) paced, open loop at `--rate` per second for
 * `--paced-requests`, for latency at the target rate (measured from each request's scheduled start, so a
 * stall is not hidden by the requests it delays).
 * Options: --requests N (1000000) --warmup N (20000) --concurrency N (8) --checkpoint N (100000)
 *          --rate N (2000) --paced-requests N (30000) --max-seconds N (900) --no-pin
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mb, printTable, verdict } from './stats.js';
import type { ServerMemory } from './webhookServer.js';

const { values: opts } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' },
    warmup: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    checkpoint: { type: 'string', default: '100000' },
    'max-seconds': { type: 'string', default: '900' },
    rate: { type: 'string', default: '2000' },
    'paced-requests': { type: 'string', default: '30000' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const total = Number(opts.requests);
const warmup = Number(opts.warmup);
const concurrency = Number(opts.concurrency);
const checkpointEvery = Number(opts.checkpoint);
const maxMs = Number(opts['max-seconds']) * 1000;
const pacedRate = Number(opts.rate);
const pacedTotal = Number(opts['paced-requests']);
const pin = !opts['no-pin'] && cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;

/** Latency histogram: 10 µs buckets up to 10 s, then one overflow bucket. */
class Histogram {
  private readonly counts = new Uint32Array(1_000_001);
  count = 0;
  add(ms: number): void {
    this.counts[Math.min(1_000_000, Math.floor(ms * 100))]!++;
    this.count++;
  }
  percentile(p: number): number {
    const target = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return (i + 1) / 100;
    }
    return Infinity;
  }
}

/** Linux: ms this process's main thread waited runnable for a CPU (`/proc/self/schedstat`); NaN elsewhere. */
function clientRunQueueWaitMs(): number {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

function startServer(): Promise<{ child: ChildProcess; port: number; ca: string; servername: string }> {
  const args = ['--expose-gc', '--import', 'tsx', join(__dirname, 'webhookServer.ts')];
  const child = pin
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.on('message', (m: { port?: number; ca?: string; servername?: string }) => {
      if (m.port && m.ca && m.servername) resolve({ child, port: m.port, ca: m.ca, servername: m.servername });
    });
  });
}

function serverMemory(child: ChildProcess): Promise<ServerMemory> {
  return new Promise((resolve) => {
    const on = (m: { mem?: ServerMemory }) => {
      if (!m.mem) return;
      child.off('message', on);
      resolve(m.mem);
    };
    child.on('message', on);
    child.send('mem');
  });
}

function review(i: number): Buffer {
  const namespace = `ns-${i % 50}`;
  return Buffer.from(
    JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        kind: { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
        resource: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
        operation: 'CREATE',
        namespace,
        name: `restore-${i}`,
        object: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: `restore-${i}`, namespace, labels: { 'cdi.kubevirt.io/applyStorageProfile': 'true', 'kubevirt.io/created-by': 'restore' } },
          spec: {
            accessModes: ['ReadWriteOnce'],
            volumeMode: 'Filesystem',
            storageClassName: 'trident-nas',
            dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: `snap-${i}` },
            dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: `snap-${i}` },
            resources: { requests: { storage: '22229812' } },
          },
        },
        options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
      },
    }),
  );
}

async function main(): Promise<void> {
  if (pin) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const server = await startServer();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: server.ca, servername: server.servername });
  const bodies = Array.from({ length: 1000 }, (_, i) => review(i));
  console.log(`webhook bench: ${total.toLocaleString('en-US')} requests (${warmup.toLocaleString('en-US')} warm-up), ${concurrency} keep-alive connections, body ${bodies[0]?.length} bytes`);
  console.log(pin ? 'server pinned to CPU 0, load generator to CPU 1' : 'not pinned (one CPU, or --no-pin): server and load generator share CPUs');

  const send = (body: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: '/mutate', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const histogram = new Histogram();
  const checkpoints: { at: number; wallMs: number; mem: ServerMemory; rate: number }[] = [];
  let issued = 0;
  let done = 0;
  let failures = 0;
  let measuredStart = 0;
  let measuredCpu: ServerMemory | undefined;
  let lastCheckpoint = { at: 0, t: 0 };
  let pendingCheckpoint: Promise<void> = Promise.resolve();
  const started = performance.now();

  const worker = async () => {
    while (issued < total && performance.now() - started < maxMs) {
      const i = issued++;
      const t0 = performance.now();
      const status = await send(bodies[i % bodies.length]!);
      const t1 = performance.now();
      if (status !== 200) failures++;
      done++;
      if (done > warmup) histogram.add(t1 - t0);
      if (done === warmup) {
        measuredStart = t1;
        lastCheckpoint = { at: done, t: t1 };
        pendingCheckpoint = serverMemory(server.child).then((m) => {
          measuredCpu = m;
        });
      }
      if (done % checkpointEvery === 0 && done > warmup) {
        const at = done;
        const rate = ((at - lastCheckpoint.at) / (t1 - lastCheckpoint.t)) * 1000;
        lastCheckpoint = { at, t: t1 };
        pendingCheckpoint = pendingCheckpoint.then(async () => {
          const mem = await serverMemory(server.child);
          checkpoints.push({ at, wallMs: t1 - started, mem, rate });
          console.log(
            `  ${at.toLocaleString('en-US').padStart(9)} requests  ${(Math.round(rate)).toLocaleString('en-US').padStart(6)}/s  server RSS ${mb(mem.rssBytes).padStart(9)}  heap ${mb(mem.heapUsedBytes).padStart(8)}  external ${mb(mem.externalBytes).padStart(8)}`,
          );
        });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pendingCheckpoint;
  const end = performance.now();
  const final = await serverMemory(server.child);

  // Phase 2: open loop at the target rate.
  const pacedStart = performance.now();
  const clientWaitBefore = clientRunQueueWaitMs();
  const pacedBefore = final;
  const paced = new Histogram();
  const pacedFromIssue = new Histogram();
  let pacedFailures = 0;
  await new Promise<void>((resolve) => {
    const t0 = performance.now();
    let next = 0;
    let answered = 0;
    const tick = () => {
      const due = Math.min(pacedTotal, Math.floor(((performance.now() - t0) / 1000) * pacedRate) + 1);
      for (; next < due; next++) {
        const scheduled = t0 + (next / pacedRate) * 1000;
        const issued = performance.now();
        void send(bodies[next % bodies.length]!).then((status) => {
          if (status !== 200) pacedFailures++;
          const now = performance.now();
          paced.add(now - scheduled);
          pacedFromIssue.add(now - issued);
          if (++answered === pacedTotal) resolve();
        });
      }
      if (next < pacedTotal) setTimeout(tick, 1);
    };
    tick();
  });
  const pacedAfter = await serverMemory(server.child);
  const pacedWallS = (performance.now() - pacedStart) / 1000;
  const clientWaitS = (clientRunQueueWaitMs() - clientWaitBefore) / 1000;
  server.child.send('stop');
  agent.destroy();

  const measured = done - warmup;
  const wallS = (end - measuredStart) / 1000;
  const rate = measured / wallS;
  const cpuS = measuredCpu ? (final.cpuUserMs + final.cpuSystemMs - measuredCpu.cpuUserMs - measuredCpu.cpuSystemMs) / 1000 : NaN;
  const perCpuSecond = measured / cpuS;
  const p50 = histogram.percentile(50);
  const p99 = histogram.percentile(99);
  const first = checkpoints[0];
  const last = checkpoints.at(-1);
  const heapGrowth = first && last ? last.mem.heapUsedBytes - first.mem.heapUsedBytes : NaN;
  const rssGrowth = first && last ? last.mem.rssBytes - first.mem.rssBytes : NaN;
  const noGrowth = Number.isFinite(heapGrowth) && heapGrowth < 2 * 1024 * 1024;
  /** The smallest server histogram bound holding `p`% of the requests answered between two snapshots. */
  const serverPercentile = (a: ServerMemory | undefined, b: ServerMemory, p: number): string => {
    const base = new Map(a?.latencyBuckets ?? []);
    const rows = b.latencyBuckets.map(([le, n]) => [le, n - (base.get(le) ?? 0)] as const);
    const count = rows.at(-1)?.[1] ?? 0;
    const hit = rows.find(([, n]) => n >= (p / 100) * count);
    return hit ? (Number.isFinite(hit[0]) ? `≤ ${hit[0] * 1000} ms` : '> 10 s') : 'n/a';
  };
  const waited = (a?: ServerMemory, b?: ServerMemory) => (a?.runQueueWaitMs !== undefined && b?.runQueueWaitMs !== undefined ? (b.runQueueWaitMs - a.runQueueWaitMs) / 1000 : NaN);
  const contention = (wait: number, wall: number) =>
    Number.isFinite(wait) ? `server waited ${wait.toFixed(1)} s of ${wall.toFixed(1)} s for a CPU held by other processes${wait > 0.05 * wall ? ' (CONTENDED: latency figures are not the server’s own)' : ''}` : 'run-queue wait not measurable here';

  printTable('POST /mutate over HTTPS, loopback, warm cache', [
    ['saturation: requests answered', done.toLocaleString('en-US'), failures ? `${failures} not 200` : 'all 200'],
    ['saturation: admissions/s (wall)', Math.round(rate).toLocaleString('en-US'), `${rate >= 2000 ? 'MET' : 'NOT MET'} (target ≥ 2,000/s on one core)`],
    ['saturation: admissions per server CPU-second', Math.round(perCpuSecond).toLocaleString('en-US'), `server CPU ${cpuS.toFixed(1)} s over ${wallS.toFixed(1)} s wall`],
    ['saturation: latency p50 / p99 / p99.9', `${p50.toFixed(2)} / ${p99.toFixed(2)} / ${histogram.percentile(99.9).toFixed(2)} ms`, `${concurrency} requests always in flight`],
    ['saturation: server-measured p50 / p99', `${serverPercentile(measuredCpu, final, 50)} / ${serverPercentile(measuredCpu, final, 99)}`, 'the server’s own histogram (bucket bounds)'],
    ['saturation: CPU contention', '', contention(waited(measuredCpu, final), wallS)],
    [`paced at ${pacedRate.toLocaleString('en-US')}/s: requests`, paced.count.toLocaleString('en-US'), pacedFailures ? `${pacedFailures} not 200` : 'all 200'],
    [`paced at ${pacedRate.toLocaleString('en-US')}/s: latency p50`, `${paced.percentile(50).toFixed(2)} ms`, 'from the scheduled start'],
    [`paced at ${pacedRate.toLocaleString('en-US')}/s: latency p99`, `${paced.percentile(99).toFixed(2)} ms`, verdict(paced.percentile(99), 5, ' ms')],
    [`paced at ${pacedRate.toLocaleString('en-US')}/s: latency p99.9`, `${paced.percentile(99.9).toFixed(2)} ms`],
    [`paced at ${pacedRate.toLocaleString('en-US')}/s: p50 / p99 from issue`, `${pacedFromIssue.percentile(50).toFixed(2)} / ${pacedFromIssue.percentile(99).toFixed(2)} ms`, 'without the generator’s own timer lateness'],
    [`paced at ${pacedRate.toLocaleString('en-US')}/s: server-measured p50 / p99`, `${serverPercentile(pacedBefore, pacedAfter, 50)} / ${serverPercentile(pacedBefore, pacedAfter, 99)}`, 'the server’s own histogram (bucket bounds)'],
    [`paced at ${pacedRate.toLocaleString('en-US')}/s: CPU contention`, '', contention(waited(pacedBefore, pacedAfter), pacedWallS)],
    [`paced at ${pacedRate.toLocaleString('en-US')}/s: load generator contention`, '', Number.isFinite(clientWaitS) ? `load generator waited ${clientWaitS.toFixed(1)} s of ${pacedWallS.toFixed(1)} s for a CPU` : 'not measurable here'],
    [`paced at ${pacedRate.toLocaleString('en-US')}/s: server CPU busy`, `${(((pacedAfter.cpuUserMs + pacedAfter.cpuSystemMs - pacedBefore.cpuUserMs - pacedBefore.cpuSystemMs) / 1000 / pacedWallS) * 100).toFixed(0)} %`],
    ['server heap after GC, first → last checkpoint', first && last ? `${mb(first.mem.heapUsedBytes)} → ${mb(last.mem.heapUsedBytes)}` : 'n/a', noGrowth ? 'no growth (MET)' : 'GROWTH (NOT MET)'],
    ['server RSS, first → last checkpoint', first && last ? `${mb(first.mem.rssBytes)} → ${mb(last.mem.rssBytes)}` : 'n/a', `${mb(rssGrowth)} difference`],
  ]);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
