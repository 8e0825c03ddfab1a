/**
 * Edit by edit, what sets the slow pushed edits of the bundle: bench/run.ts's protocol (the bundle opened, its 50
 * edits sent one at a time from the moment the open's diagnostics arrive), with the server preloaded with
 * bench/gcLog.cjs. Per edit: the latency, the server's main thread on a CPU and waiting for one, all its threads on
 * a CPU (V8's compiler and GC helpers), the client's CPU (decoding the publish), and the server's and the client's
 * garbage collections that started within the edit (m mark-compact, s scavenge, i an incremental marking step,
 * with their pause in ms).
 * `node --import tsx bench/editTrace.ts [dist/server.js] [--rounds 3] [--edits 50] [--seed 20251121] [--all] [--node-flags='…']`
 * (`--all`: every edit's row, not only each round's slowest 6 and the first 5; `--node-flags=`: V8/node flags for the
 * server, space-separated, e.g. `--single-threaded-gc` to see what the GC's helper threads take).
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { PerformanceObserver, performance, constants } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateBundle } from './generate.js';
import { measureLsp } from './lsp.js';
import { median, percentile } from './stats.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '3' }, edits: { type: 'string', default: '50' }, seed: { type: 'string', default: '20251121' }, all: { type: 'boolean', default: false }, 'node-flags': { type: 'string', default: '' } },
});
const serverPath = positionals[0] ?? 'dist/server.js';
const seed = Number(opts.seed);
const edits = Number(opts.edits);

interface Gc { kind: string; at: number; ms: number }
const clientGcs: Gc[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as { detail?: { kind?: number } }).detail?.kind;
    const name = { [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' }[kind ?? -1];
    clientGcs.push({ kind: name ?? String(kind), at: performance.timeOrigin + e.startTime, ms: e.duration });
  }
}).observe({ entryTypes: ['gc'] });

/** `m` mark-compact, `s` scavenge, `i` an incremental marking step, `w` weak callbacks; then the pause in ms. */
const short = (g: Gc): string => `${{ major: 'm', minor: 's', incremental: 'i', weakcb: 'w' }[g.kind] ?? g.kind}${g.ms.toFixed(1)}`;

void (async () => {
  const text = generateBundle(seed).text;
  const slowest: number[][] = [];
  for (let r = 0; r < Number(opts.rounds); r++) {
    const load = loadavg()[0]!.toFixed(2);
    clientGcs.length = 0;
    const res = await measureLsp({ serverPath, text, edits, seed, serverExecArgv: [...opts['node-flags'].split(' ').filter((f) => f !== ''), '-r', join(__dirname, 'gcLog.cjs')] });
    const serverGcs: Gc[] = [];
    for (const m of res.stderr.matchAll(/^\[gc\] (\S+) (\S+) (\S+)$/gm)) serverGcs.push({ kind: m[1]!, at: Number(m[2]), ms: Number(m[3]) });
    const per = res.perEdit ?? [];
    const within = (gcs: Gc[], i: number) => gcs.filter((g) => g.at >= per[i]!.sentAtMs && g.at < per[i]!.arrivedAtMs);
    const firstEdit = per[0]?.sentAtMs ?? 0;
    const beforeEdits = serverGcs.filter((g) => g.at < firstEdit);
    const lat = res.latenciesMs;
    console.log(`\nround ${r + 1} (load ${load} → ${loadavg()[0]!.toFixed(2)}): median ${median(lat.slice(5)).toFixed(2)} / p90 ${percentile(lat.slice(5), 90).toFixed(2)} / p95 of all ${percentile(lat, 95).toFixed(2)} ms (edits 6+ only: ${percentile(lat.slice(5), 95).toFixed(2)}); server CPU per edit ${res.serverPerEdit?.runMs.toFixed(2)} ms; open ${res.openMs.toFixed(0)} ms`);
    console.log(`  server GCs before the first edit: ${beforeEdits.filter((g) => g.kind === 'major').length} mark-compact, ${beforeEdits.filter((g) => g.kind === 'minor').length} scavenges; last one ${beforeEdits.length ? (firstEdit - beforeEdits.at(-1)!.at).toFixed(0) : '-'} ms before it`);
    const during = serverGcs.filter((g) => g.at >= firstEdit);
    console.log(`  server GCs during the edits: ${during.filter((g) => g.kind === 'major').length} mark-compact (${during.filter((g) => g.kind === 'major').reduce((s, g) => s + g.ms, 0).toFixed(1)} ms), ${during.filter((g) => g.kind === 'minor').length} scavenges (${during.filter((g) => g.kind === 'minor').reduce((s, g) => s + g.ms, 0).toFixed(1)} ms), other ${during.filter((g) => g.kind !== 'major' && g.kind !== 'minor').map(short).join(' ') || '-'}; client GCs during the edits: ${clientGcs.filter((g) => g.at >= firstEdit).length}`);
    const order = lat.map((_, i) => i).sort((a, b) => lat[b]! - lat[a]!);
    slowest.push(order.slice(0, 5).map((i) => i + 1));
    const rows = opts.all ? lat.map((_, i) => i) : [...new Set([0, 1, 2, 3, 4, ...order.slice(0, 6)])].sort((a, b) => a - b);
    console.log('  edit  kind     document               latency  main  wait  threads  client  server GCs      client GCs   rank');
    for (const i of rows) {
      const e = per[i]!;
      const k = res.edits[i]!;
      console.log(`  ${String(i + 1).padStart(4)}  ${k.kind.padEnd(7)}  ${k.docKind.padEnd(21)}  ${lat[i]!.toFixed(1).padStart(7)}  ${e.serverRunMs.toFixed(1).padStart(4)}  ${e.serverWaitMs.toFixed(1).padStart(4)}  ${e.serverThreadsMs.toFixed(1).padStart(7)}  ${e.clientCpuMs.toFixed(1).padStart(6)}  ${within(serverGcs, i).map(short).join(' ').padEnd(14)}  ${within(clientGcs, i).map(short).join(' ').padEnd(11)}  ${order.indexOf(i) + 1}`);
    }
  }
  console.log(`\nthe 5 slowest edits of each round: ${slowest.map((s) => s.join(',')).join('  ')}`);
})();
