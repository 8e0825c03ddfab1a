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
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { defaultSettings } from '../core/types.js';
import { analyze, Workspace } from '../core/workspace.js';
import { generateBundle } from './generate.js';

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

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and bytes per class (objects by constructor name, other heap objects by type) in a heap snapshot file. */
function byClass(path: string): Map<string, [number, number]> {
  const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const out = new Map<string, [number, number]>();
  for (let i = 0; i < s.nodes.length; i += fields.length) {
    const t = types[s.nodes[i + type]!]!;
    const k = t === 'object' ? s.strings[s.nodes[i + name]!]! : t === 'closure' ? 'closure' : `(${t})`;
    const e = out.get(k) ?? [0, 0];
    e[0]++;
    e[1] += s.nodes[i + size]!;
    out.set(k, e);
  }
  return out;
}

/** A heap snapshot after two full GCs, as a table by class; the file is removed once read. */
function snapshotByClass(name: string): Map<string, [number, number]> {
  gc!();
  gc!();
  const dir = join(__dirname, 'out');
  mkdirSync(dir, { recursive: true });
  const path = writeHeapSnapshot(join(dir, `coldMemory-${name}.heapsnapshot`));
  try {
    return byClass(path);
  } finally {
    rmSync(path, { force: true });
  }
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
    const after = snapshotByClass('after');
    const rows = [...after].map(([k, [n, b]]) => [k, n - (classesBefore.get(k)?.[0] ?? 0), b - (classesBefore.get(k)?.[1] ?? 0)] as const);
    rows.sort((a, b) => b[2] - a[2]);
    console.log('kept by the Workspace, by class (count, bytes, bytes each):');
    for (const [k, n, b] of rows.slice(0, Number(values.top))) console.log(`  ${String(n).padStart(8)} ${mib(b).padStart(10)} ${String(Math.round(b / Math.max(1, n))).padStart(5)}  ${k}`);
  }
  if (ws.documentCount(file) === 0) throw new Error('the bundle was not parsed');
}

void main();
