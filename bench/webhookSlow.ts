/**
 * `npm run bench:webhook-slow`: the webhook's memory under slow concurrent 1 MiB requests (issue 16 item 5: 100
 * such requests took the uncapped server from 160 to 364 MB, 300 to 795 MB, against the Deployment's 256 Mi limit).
 *
 * The real server (bench/webhookServer.ts) runs in its own process with the production caps (and, for comparison,
 * with `--uncapped` ones: KVS_BENCH_WEBHOOK_CAPS=off). For each level of concurrency, that many clients each send
 * a valid 1 MiB AdmissionReview (a labelled restore PVC padded with an annotation) slowly — headers, then 64 KiB
 * every `--chunk-ms` — over a fresh TLS connection, and start again when answered, for `--seconds`. The server
 * samples its RSS every 10 ms; the bench prints the peak per level, the answers by status (200, 429 over the
 * in-flight cap, 503 over the byte budget) and whether the peak stays under the limit. Never fails on figures.
 * The server runs from source through tsx (about 40 MiB above the bundle's idle RSS): the figures are an upper bound.
 * Options: --levels 100,300 --seconds 20 --chunk-ms 100 --uncapped --limit-mib 256
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mb, printTable } from './stats.js';
import type { ServerPeak } from './webhookServer.js';

const { values: opts } = parseArgs({
  options: {
    levels: { type: 'string', default: '100,300' },
    seconds: { type: 'string', default: '20' },
    'chunk-ms': { type: 'string', default: '100' },
    uncapped: { type: 'boolean', default: false },
    'limit-mib': { type: 'string', default: '256' },
  },
});
const levels = opts.levels.split(',').map(Number);
const seconds = Number(opts.seconds);
const chunkMs = Number(opts['chunk-ms']);
const limitBytes = Number(opts['limit-mib']) * 1024 * 1024;
const CHUNK = 64 * 1024;

function startServer(uncapped: boolean): Promise<{ child: ChildProcess; port: number; ca: string; servername: string }> {
  // MALLOC_ARENA_MAX=2 as the Deployment sets it (core/ops/webhook/manifests.ts): without it glibc's per-thread
  // arenas keep OpenSSL's freed buffers, and the RSS under connection churn is far above what the heap holds.
  const env = { MALLOC_ARENA_MAX: '2', ...process.env, ...(uncapped ? { KVS_BENCH_WEBHOOK_CAPS: 'off' } : {}) };
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'webhookServer.ts')], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    child.on('message', (m: { port?: number; ca?: string; servername?: string }) => {
      if (m.port && m.ca && m.servername) resolve({ child, port: m.port, ca: m.ca, servername: m.servername });
    });
  });
}

function ask<T>(child: ChildProcess, what: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (!(key in m)) return;
      child.off('message', on);
      resolve(m[key] as T);
    };
    child.on('message', on);
    child.send(what);
  });
}

/** A valid review of just under 1 MiB: the seed restore PVC with a padding annotation. */
function bigReview(i: number): Buffer {
  const review = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      kind: { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
      operation: 'CREATE',
      namespace: 'ns-1',
      object: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: `restore-${i}`, namespace: 'ns-1', labels: { 'cdi.kubevirt.io/applyStorageProfile': 'true' }, annotations: { pad: '' } },
        spec: { dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap-1' }, resources: { requests: { storage: '22229812' } } },
      },
    },
  };
  const base = Buffer.byteLength(JSON.stringify(review));
  review.request.object.metadata.annotations.pad = 'x'.repeat((1 << 20) - base - 16);
  return Buffer.from(JSON.stringify(review));
}

/** One slow client: sends the body in 64 KiB pieces every chunkMs, again and again until `until`. */
async function slowClient(server: { port: number; ca: string; servername: string }, body: Buffer, until: number, counts: Map<string, number>): Promise<void> {
  while (Date.now() < until) {
    const status = await new Promise<string>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: '/mutate', ca: server.ca, servername: server.servername, agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.statusCode)));
          res.on('error', () => resolve('error'));
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      let offset = 0;
      const next = (): void => {
        if (req.destroyed) return;
        const piece = body.subarray(offset, offset + CHUNK);
        offset += piece.length;
        if (offset >= body.length) req.end(piece);
        else req.write(piece, () => setTimeout(next, chunkMs));
      };
      next();
    });
    counts.set(status, (counts.get(status) ?? 0) + 1);
    // A refused client waits as Retry-After says, as the API server's own retries would.
    if (status === '429' || status === '503') await new Promise((r) => setTimeout(r, 1000));
  }
}

async function run(uncapped: boolean): Promise<void> {
  const server = await startServer(uncapped);
  const body = bigReview(1);
  const rows: [string, string, string?][] = [];
  const idle = await ask<ServerPeak>(server.child, 'peak', 'peak');
  rows.push(['idle RSS', mb(idle.rssBytes)]);
  for (const level of levels) {
    await ask<ServerPeak>(server.child, 'peak', 'peak');
    const counts = new Map<string, number>();
    const until = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: level }, () => slowClient(server, body, until, counts)));
    const peak = await ask<ServerPeak>(server.child, 'peak', 'peak');
    const answers = [...counts].sort().map(([k, v]) => `${k}: ${v}`).join(', ');
    rows.push([`${level} slow clients: peak RSS`, mb(peak.peakRssBytes), `≤ ${mb(limitBytes)}: ${peak.peakRssBytes <= limitBytes ? '**MET**' : '**NOT MET**'}`]);
    rows.push([`${level} slow clients: answers`, answers]);
  }
  server.child.removeAllListeners('exit');
  server.child.send('stop');
  printTable(`webhook ${uncapped ? 'without caps (before issue 16)' : 'with the production caps'}: ${seconds} s per level, 1 MiB bodies in 64 KiB pieces every ${chunkMs} ms`, rows);
}

async function main(): Promise<void> {
  await run(opts.uncapped);
}

void main();
