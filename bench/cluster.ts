/**
 * The cluster benchmark (`npm run bench:cluster`): 10,000 PVCs and 10,000 VolumeSnapshots (spread over
 * namespaces) in the API emulator, which runs in its own child process (bench/clusterEmulator.ts) so that
 * its memory is not counted. Each run starts a fresh measured process (bench/clusterClient.ts, bundled with
 * esbuild as the language server is) that connects, starts every storage cache and waits until all are
 * synced. Prints the time from connect to the first explorer level and to complete caches, CPU time on
 * each side, and the memory of the process holding the caches; says whether the targets are met. Exits 0
 * whatever the figures (1 only when a measurement could not be taken).
 * Options: --pvcs N (10000) --snapshots N (10000) --namespaces N (100) --runs N (5) --page-size N (500)
 *          --append-readme (append the figures to bench/README.md under "Cluster caches")
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { ClientReport } from './clusterClient.js';
import { median, mb, ms, printTable, verdict } from './stats.js';

const { values: opts } = parseArgs({
  options: {
    pvcs: { type: 'string', default: '10000' },
    snapshots: { type: 'string', default: '10000' },
    namespaces: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
    'page-size': { type: 'string', default: '500' },
    'append-readme': { type: 'boolean', default: false },
  },
});
const pvcCount = Number(opts.pvcs);
const snapCount = Number(opts.snapshots);
const runs = Math.max(1, Number(opts.runs));
const pageSize = Number(opts['page-size']);
const MiB = 1024 * 1024;

function once<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`${what}: the process exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolve(m as T);
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kvs-bench-cluster-'));
  const bundle = join(dir, 'clusterClient.js');
  await build({ entryPoints: [join(__dirname, 'clusterClient.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle, logLevel: 'warning' });
  const seedStart = performance.now();
  const server = fork(join(__dirname, 'clusterEmulator.ts'), [String(pvcCount), String(snapCount), opts.namespaces!], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const seeded = await once<{ kubeconfig: string; pvcJsonBytes: number }>(server, 'the emulator');
    const seedMs = performance.now() - seedStart;
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, seeded.kubeconfig);
    const reports: (ClientReport & { serverCpuMs: number })[] = [];
    for (let r = 0; r < runs; r++) {
      server.send('cpu');
      const before = await once<{ cpuMs: number }>(server, 'the emulator');
      const client = fork(bundle, [kubeconfigPath, String(pageSize), String(pvcCount), String(snapCount), opts.namespaces!], {
        execArgv: ['--expose-gc'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const rep = await once<ClientReport | { error: string }>(client, 'the measured client');
      if ('error' in rep) throw new Error(rep.error);
      server.send('cpu');
      const after = await once<{ cpuMs: number }>(server, 'the emulator');
      reports.push({ ...rep, serverCpuMs: after.cpuMs - before.cpuMs });
    }
    const med = (f: (r: ClientReport & { serverCpuMs: number }) => number): number => median(reports.map(f));
    const complete = med((r) => r.completeMs);
    const rss = med((r) => r.memory.rss);
    const maxRss = med((r) => r.maxRss);
    printTable(`Cluster caches: ${pvcCount.toLocaleString('en')} PVCs + ${snapCount.toLocaleString('en')} VolumeSnapshots in ${opts.namespaces} namespaces, page size ${pageSize}, ${runs} fresh client processes (median)`, [
      ['machine', `${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`, 'wall-clock figures depend on it; CPU times less so'],
      ['emulator seeded (its own process)', ms(seedMs), `${seeded.pvcJsonBytes.toLocaleString('en')} bytes of JSON per PVC as served`],
      ['client-node import (once, on the first connect)', ms(med((r) => r.importMs)), 'before the timings below'],
      ['connect (kubeconfig + /version)', ms(med((r) => r.connectMs))],
      ['+ discovery', ms(med((r) => r.discoverMs))],
      ['to first explorer level (StorageClasses)', ms(med((r) => r.firstLevelMs))],
      ['to complete caches (all 13 synced)', ms(complete), verdict(complete, 2000, ' ms')],
      ['  each run', reports.map((r) => r.completeMs.toFixed(0)).join(', ') + ' ms'],
      ['  CPU: client / emulator', `${ms(med((r) => r.cpuMs))} / ${ms(med((r) => r.serverCpuMs))}`, 'the emulator serializes every page on one thread'],
      ['snapshot fact lookups', `${med((r) => r.lookupUs).toFixed(2)} µs each`, `${reports[0]!.found.toLocaleString('en')} of ${snapCount.toLocaleString('en')} found`],
      ['RSS holding the caches (after GC)', mb(rss), verdict(rss / MiB, 200, ' MiB')],
      ['  peak RSS while syncing', mb(maxRss), verdict(maxRss / MiB, 200, ' MiB')],
      ['  heap used / heap total', `${mb(med((r) => r.memory.heapUsed))} / ${mb(med((r) => r.memory.heapTotal))}`],
      ['  RSS / heap before connecting', `${mb(med((r) => r.baseline.rss))} / ${mb(med((r) => r.baseline.heapUsed))}`, 'node + client-node loaded'],
      ['  caches (heap delta)', mb(med((r) => r.memory.heapUsed - r.baseline.heapUsed)), `${Math.round(med((r) => r.memory.heapUsed - r.baseline.heapUsed) / (pvcCount + snapCount)).toLocaleString('en')} bytes per object`],
    ]);
    if (opts['append-readme']) {
      const verdictWord = (v: number, t: number): string => (v <= t ? 'MET' : 'NOT MET');
      const lines = [
        '',
        '## Cluster caches',
        '',
        `\`npm run bench:cluster\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}, load average ${loadavg()[0]!.toFixed(1)} during the run).`,
        `${pvcCount.toLocaleString('en')} PVCs and ${snapCount.toLocaleString('en')} VolumeSnapshots in ${opts.namespaces} namespaces, shaped like \`kubectl get -o json\``,
        `output (managedFields, controller annotations, a last-applied-configuration on a third: ${seeded.pvcJsonBytes.toLocaleString('en')} bytes of JSON per PVC),`,
        `served by the API emulator in its own process; list pages of ${pageSize}. Each of ${runs} runs is a fresh process running the`,
        'bundled cluster code (as the language server does): connect, discover, start all 13 storage caches, wait until all are synced. Medians:',
        '',
        '| figure | value | target |',
        '|---|---|---|',
        `| connect → first explorer level (StorageClass cache synced) | ${ms(med((r) => r.firstLevelMs))} | |`,
        `| connect → complete caches | ${ms(complete)} (runs: ${reports.map((r) => r.completeMs.toFixed(0)).join(', ')} ms) | ≤ 2 s: **${verdictWord(complete, 2000)}** |`,
        `| CPU during that time: client / emulator | ${ms(med((r) => r.cpuMs))} / ${ms(med((r) => r.serverCpuMs))} | |`,
        `| RSS of the process holding the caches (after GC) | ${mb(rss)} | ≤ 200 MB: **${verdictWord(rss / MiB, 200)}** |`,
        `| peak RSS while syncing | ${mb(maxRss)} | ≤ 200 MB: **${verdictWord(maxRss / MiB, 200)}** |`,
        `| heap used after GC / of which the caches | ${mb(med((r) => r.memory.heapUsed))} / ${mb(med((r) => r.memory.heapUsed - r.baseline.heapUsed))} | |`,
        `| RSS before connecting (node + @kubernetes/client-node) | ${mb(med((r) => r.baseline.rss))}; loading client-node takes ${ms(med((r) => r.importMs))}, once, on the first connect | |`,
        `| snapshot fact lookup | ${med((r) => r.lookupUs).toFixed(2)} µs | |`,
        '',
        'The caches drop `metadata.managedFields` and `kubectl.kubernetes.io/last-applied-configuration` from what they keep.',
        '',
      ];
      appendFileSync(join(__dirname, 'README.md'), lines.join('\n'));
      console.log('\nappended to bench/README.md under "Cluster caches"');
    }
  } finally {
    server.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
