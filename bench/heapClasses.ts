/**
 * Heap snapshots as tables by class (objects by constructor name, other heap objects by type), for what a
 * Workspace keeps: bench/coldMemory.ts (the bundle) and bench/oneShotMemory.ts (lint's one-shot Workspace).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

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
export function snapshotByClass(name: string): Map<string, [number, number]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  const dir = join(__dirname, 'out');
  mkdirSync(dir, { recursive: true });
  const path = writeHeapSnapshot(join(dir, `coldMemory-${name}.heapsnapshot`));
  try {
    return byClass(path);
  } finally {
    rmSync(path, { force: true });
  }
}

/** The `top` classes that grew most from `before` to `after`, as lines: count, MiB, bytes each, class. */
export function keptRows(before: Map<string, [number, number]>, after: Map<string, [number, number]>, top: number): string[] {
  const rows = [...after].map(([k, [n, b]]) => [k, n - (before.get(k)?.[0] ?? 0), b - (before.get(k)?.[1] ?? 0)] as const);
  rows.sort((a, b) => b[2] - a[2]);
  const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
  return rows.slice(0, top).map(([k, n, b]) => `  ${String(n).padStart(8)} ${mib(b).padStart(10)} ${String(Math.round(b / Math.max(1, n))).padStart(5)}  ${k}`);
}
