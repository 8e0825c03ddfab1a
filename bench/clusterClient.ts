/**
 * The measured process of the cluster benchmark, bundled by bench/cluster.ts with esbuild as the language
 * server is (so module loading costs what it costs in production) and started afresh for every run, like
 * an editor starting its language server: connect, discover, start every storage cache, wait until all are
 * synced, serve facts, then report timings and memory over IPC and exit.
 */
import { performance } from 'node:perf_hooks';
import { clientNode } from '../cluster/clientNode.js';
import { clusterFacts } from '../cluster/clusterFacts.js';
import { connect } from '../cluster/connection.js';
import { discover } from '../cluster/discovery.js';
import { startStorageCaches } from '../cluster/storageCaches.js';

export interface ClientReport {
  importMs: number;
  connectMs: number;
  discoverMs: number;
  firstLevelMs: number;
  completeMs: number;
  /** CPU time of this process from connect to complete caches. */
  cpuMs: number;
  lookupUs: number;
  found: number;
  baseline: NodeJS.MemoryUsage;
  memory: NodeJS.MemoryUsage;
  /** Peak RSS of the process (getrusage maxRSS), bytes. */
  maxRss: number;
  sizes: Record<string, number>;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const [kubeconfigPath = '', pageSize = '500', pvcs = '0', snapshots = '0', namespaces = '1'] = process.argv.slice(2);
  const i0 = performance.now();
  await clientNode();
  const importMs = performance.now() - i0;
  gc();
  const baseline = process.memoryUsage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const conn = await connect({ kubeconfigPath, env: {} });
  if (!conn.ok) throw new Error(conn.error.message);
  const connectMs = performance.now() - t0;
  const d = await discover(conn.value);
  if (!d.ok) throw new Error(d.error.message);
  const discoverMs = performance.now() - t0;
  const caches = startStorageCaches(conn.value, d.value, { pageSize: Number(pageSize) });
  let firstLevelMs = NaN;
  void caches.get('storageClasses')!.whenSynced().then(() => (firstLevelMs = performance.now() - t0));
  await caches.whenSynced();
  const completeMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const sizes: Record<string, number> = {};
  for (const name of ['persistentVolumeClaims', 'volumeSnapshots', 'storageClasses', 'storageProfiles'] as const) {
    const c = caches.get(name);
    if (c?.state !== 'synced') throw new Error(`${name}: ${c?.state ?? 'not started'} ${c?.error?.message ?? ''}`);
    sizes[name] = c.size;
  }
  if (sizes.persistentVolumeClaims !== Number(pvcs) || sizes.volumeSnapshots !== Number(snapshots)) throw new Error(`incomplete caches: ${JSON.stringify(sizes)}`);
  // What the language server does with them: look snapshots up through the facts.
  const facts = clusterFacts(conn.value.context, caches);
  const l0 = performance.now();
  let found = 0;
  for (let i = 0; i < Number(snapshots); i++) {
    if (facts.volumeSnapshot(`tenant-${i % Number(namespaces)}`, `vmsnapshot-${i}-volume-${i % 7 === 0 ? 'tpm' : 'rootdisk'}`)?.restoreSizeBytes !== undefined) found++;
  }
  const lookupUs = ((performance.now() - l0) * 1000) / Math.max(1, Number(snapshots));
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  const report: ClientReport = {
    importMs, connectMs, discoverMs, firstLevelMs, completeMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    lookupUs, found, baseline, memory: process.memoryUsage(),
    maxRss: process.resourceUsage().maxRSS * 1024,
    sizes,
  };
  facts.dispose();
  process.send!(report, undefined, {}, () => process.exit(0));
}

main().catch((err: unknown) => {
  process.send!({ error: err instanceof Error ? err.message : String(err) }, undefined, {}, () => process.exit(1));
});
