/**
 * What a cold analysis of the bench bundle allocates and keeps: the bytes allocated during one analysis (V8's
 * sampling heap profiler, objects collected since included), the heap a Workspace holding the parsed bundle keeps
 * after `setFile` and after its findings, and the allocations by function. GC time follows both: scavenges copy
 * what survives (a kept parse survives), and the major GCs mark the heap while it grows.
 *
 * With `--kept`, also what the Workspace keeps by class (heap snapshots before and after, written to bench/out/):
 * the objects GC's scavenges copy and its marking visits.
 *
 *   node --expose-gc --import tsx bench/coldMemory.ts [--top 25] [--kept]
 */
import { existsSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSettings } from '../core/types.js';
import { analyze, Workspace } from '../core/workspace.js';
import { generateBundle } from './generate.js';
import { keptRows, snapshotByClass } from './heapClasses.js';

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

const { values } = parseArgs({ options: { top: { type: 'string', default: '25' }, kept: { type: 'boolean', default: false }, callers: { type: 'boolean', default: false } } });
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const bundlePath = join(__dirname, 'out', 'bundle.yaml');
const text = existsSync(bundlePath) ? readFileSync(bundlePath, 'utf8') : generateBundle().text;
const file = '/bench/bundle.yaml';

function post<T>(s: Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));
}

/** Module-relative name of a profile frame (tsx hands some modules over as data: URLs naming their file). */
function where(url: string): string {
  const named = url.startsWith('data:') ? /__filename="([^"]*)"/.exec(decodeURIComponent(url))?.[1] ?? 'data:' : url;
  return named.replace(/^.*?\/(core|bench|node_modules)\//, '$1/') || '(native)';
}

function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  analyze([{ file, text }], defaultSettings); // warm-up: compiled code and caches, as the bench's runs are
  const s = new Session();
  s.connect();
  await post(s, 'HeapProfiler.enable');
  await post(s, 'HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  analyze([{ file, text }], defaultSettings);
  const { profile } = await post<{ profile: { head: ProfileNode } }>(s, 'HeapProfiler.stopSampling');
  s.disconnect();
  const byFunction = new Map<string, number>();
  let total = 0;
  const name = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}`;
  // With --callers, a native frame (Set#add, slice, an iterator's next) is named with the function that called it.
  const visit = (n: ProfileNode, caller: string): void => {
    total += n.selfSize;
    const own = name(n);
    const k = values.callers && own.endsWith('(native)') ? `${own.replace(/\s+\(native\)$/, '')} <- ${caller}` : own;
    byFunction.set(k, (byFunction.get(k) ?? 0) + n.selfSize);
    for (const c of n.children) visit(c, own);
  };
  visit(profile.head, '(root)');

  const classesBefore = values.kept ? snapshotByClass('before') : undefined;
  const before = heapUsed();
  const ws = new Workspace();
  ws.setFile(file, text);
  const parsed = heapUsed();
  const findings = ws.findingsOf(file, { settings: defaultSettings }).length;
  const analysed = heapUsed();
  const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
  console.log(`cold analysis of ${text.length} characters, ${findings} findings`);
  console.log(`allocated during one analysis (sampled): ${mib(total)}`);
  console.log(`kept by the Workspace: ${mib(parsed - before)} after setFile, ${mib(analysed - before)} after its findings`);
  console.log('allocated by function:');
  for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${mib(v).padStart(10)}  ${k}`);
  if (classesBefore) {
    console.log('kept by the Workspace, by class (count, bytes, bytes each):');
    for (const line of keptRows(classesBefore, snapshotByClass('after'), Number(values.top))) console.log(line);
  }
  if (ws.documentCount(file) === 0) throw new Error('the bundle was not parsed');
}

void main();
