/**
 * What `kvstorage lint` keeps and collects in its one-shot Workspace, over a folder of manifests (by default
 * bench/out/files-10000, which bench/run.ts writes): the same steps as lint on one thread (cli/lint.ts
 * analyseInOrder: every file set, the facts, then each file analysed and its findings written as JSON), with the
 * garbage collections of each pass (count and time by kind, from V8's gc performance entries) and the heap at
 * its end. Scavenges copy what survives them, so their time follows what the Workspace keeps.
 *
 * With `--kept` (needs --expose-gc), also the heap after two full GCs at the end of each pass, by class (heap
 * snapshots): what each pass leaves behind. The forced GCs change the passes' own GCs: read those without it.
 * With `--survivors`, what each pass allocated that no scavenge collected, by allocating function (V8's sampling
 * heap profiler): a scavenge copies every object an old one points to, dead or alive (only a mark-compact
 * tells), so these are what the pass's scavenges copied and promoted, whether it is kept or not (with
 * --expose-gc: a last scavenge before counting; without it, the young generation's contents are counted too).
 *
 *   node --max-inlined-bytecode-size=50 --import tsx bench/oneShotMemory.ts [folder] [--kept] [--survivors] [--top 25]
 */
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { PerformanceObserver, constants, performance, type PerformanceEntry } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { readInputs } from '../cli/files.js';
import { jsonStream } from '../cli/format/json.js';
import { oneShotWorkspace } from '../cli/lintShare.js';
import { rules } from '../core/rules/index.js';
import { defaultSettings } from '../core/types.js';
import { Workspace } from '../core/workspace.js';
import { keptRows, snapshotByClass } from './heapClasses.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { kept: { type: 'boolean', default: false }, survivors: { type: 'boolean', default: false }, top: { type: 'string', default: '25' } } });
const folder = positionals[0] ?? join(__dirname, 'out', 'files-10000');
const gcKinds: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const gcs: PerformanceEntry[] = [];
new PerformanceObserver((list) => gcs.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const t0 = performance.now();
  const input = await readInputs([folder], { cwd: process.cwd(), stdin: process.stdin });
  const settings = defaultSettings;
  const t1 = performance.now();
  const base = values.kept ? snapshotByClass('read') : undefined;
  const ws = new Workspace(() => undefined, rules, oneShotWorkspace);
  const sampler = values.survivors ? await startSurvivors() : undefined;
  const t2 = performance.now();
  for (const f of input.files) ws.setFile(f.file, f.text);
  ws.facts({ settings });
  const t3 = performance.now();
  const indexSurvivors = sampler && (await sampler.stop());
  const heapIndexed = process.memoryUsage().heapUsed;
  const indexed = values.kept ? snapshotByClass('indexed') : undefined;
  const analysisSampler = values.survivors ? await startSurvivors() : undefined;
  const t4 = performance.now();
  let bytes = 0;
  let findings = 0;
  const stream = jsonStream((text) => (bytes += text.length));
  for (const f of input.files) {
    const found = ws.analyzeFile(f.file, { settings });
    findings += found.length;
    stream.add(found);
  }
  stream.end();
  const t5 = performance.now();
  const analysisSurvivors = analysisSampler && (await analysisSampler.stop());
  const heapAnalysed = process.memoryUsage().heapUsed;
  const analysed = values.kept ? snapshotByClass('analysed') : undefined;
  // The gc entries of the last collections come on a later turn.
  await new Promise((r) => setTimeout(r, 50));
  const docs = input.files.reduce((n, f) => n + ws.documentCount(f.file), 0);
  console.log(`${input.files.length} files, ${docs} documents, ${findings} findings (${bytes} characters of JSON)`);
  const pass = (name: string, from: number, to: number, heap: number): void => {
    const within = gcs.filter((g) => g.startTime >= from && g.startTime < to);
    const byKind = new Map<string, [number, number]>();
    for (const g of within) {
      const k = gcKinds[(g as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
      const e = byKind.get(k) ?? [0, 0];
      e[0]++;
      e[1] += g.duration;
      byKind.set(k, e);
    }
    const kinds = [...byKind].map(([k, [n, ms]]) => `${n} ${k} ${ms.toFixed(0)} ms`).join(', ') || 'none';
    console.log(`${name.padEnd(9)} ${(to - from).toFixed(0).padStart(5)} ms; GC: ${kinds}${heap > 0 ? `; heap used at its end ${mib(heap)}` : ''}`);
  };
  pass('read', t0, t1, 0);
  pass('index', t2, t3, heapIndexed);
  pass('analysis', t4, t5, heapAnalysed);
  if (base && indexed && analysed) {
    console.log('kept after the index pass, by class (count, bytes, bytes each):');
    for (const line of keptRows(base, indexed, Number(values.top))) console.log(line);
    console.log('kept after the analysis pass, by class (count, bytes, bytes each):');
    for (const line of keptRows(base, analysed, Number(values.top))) console.log(line);
  }
  if (indexSurvivors) printSurvivors('index', indexSurvivors);
  if (analysisSurvivors) printSurvivors('analysis', analysisSurvivors);
}

/** Samples allocations from now on; `stop` gives those no scavenge collected. */
async function startSurvivors(): Promise<{ stop(): Promise<ProfileNode> }> {
  const session = new Session();
  session.connect();
  await post(session, 'HeapProfiler.enable');
  await post(session, 'HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true });
  return {
    async stop() {
      // A last scavenge, so that what the young generation holds at the end and no one points to is not counted.
      (globalThis as { gc?: (o: object) => void }).gc?.({ type: 'minor' });
      const { profile } = await post<{ profile: { head: ProfileNode } }>(session, 'HeapProfiler.stopSampling');
      session.disconnect();
      return profile.head;
    },
  };
}

function printSurvivors(pass: string, head: ProfileNode): void {
  const byFunction = new Map<string, number>();
  let total = 0;
  const visit = (n: ProfileNode): void => {
    total += n.selfSize;
    const k = `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.replace(/^.*?\/(core|cli|bench|node_modules)\//, '$1/')}`;
    byFunction.set(k, (byFunction.get(k) ?? 0) + n.selfSize);
    for (const c of n.children) visit(c);
  };
  visit(head);
  console.log(`allocated by the ${pass} pass and not collected by a scavenge (sampled): ${mib(total)}, by function:`);
  for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${mib(v).padStart(10)}  ${k}`);
}

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

function post<T>(s: Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));
}

void main();
