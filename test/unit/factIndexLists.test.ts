/**
 * FactIndex's lists (StorageClasses, snapshot classes, a namespace's VolumeSnapshots) against a brute force over
 * every contribution, through random adds, removes and commits: each list holds the winner (earliest definition)
 * of each of its keys and no other key's, in definition order — whichever namespaces come and go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FactIndex, type Contribution } from '../../core/workspaceIndex.js';
import type { FactKind } from '../../core/kinds/index.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const before = (a: Contribution, b: Contribution) => a.rank - b.rank || a.position() - b.position() || a.sub - b.sub;

/** What the list of `kind` (in namespace `ns`, for a namespaced kind) must be: each key's earliest, in that order. */
function expected(live: Contribution[], kind: FactKind, ns?: string): unknown[] {
  const winners = new Map<string, Contribution>();
  for (const c of live) {
    if (c.kind !== kind || (ns !== undefined && !c.key.startsWith(`${ns}/`))) continue;
    const w = winners.get(c.key);
    if (!w || before(c, w) < 0) winners.set(c.key, c);
  }
  return [...winners.values()].sort(before).map((c) => c.fact);
}

for (const seed of [1, 7, 20251121]) {
  test(`FactIndex lists = brute force over 400 steps (seed ${seed})`, () => {
    const next = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const namespaces = ['a', 'ab', 'b', 'vms', 'vms-2', 'x'];
    const index = new FactIndex();
    const live: Contribution[] = [];
    let n = 0;
    for (let step = 0; step < 400; step++) {
      const adds = live.length < 20 || next() < 0.6;
      if (adds) {
        const kind = pick<FactKind>(['VolumeSnapshot', 'VolumeSnapshot', 'StorageClass', 'VolumeSnapshotClass']);
        const name = `n${Math.floor(next() * 8)}`;
        const key = kind === 'VolumeSnapshot' ? `${pick(namespaces)}/${name}` : name;
        const position = Math.floor(next() * 50) * 1000 + n; // no two objects share a place
        const c: Contribution = { kind, key, fact: { id: ++n, key }, rank: Math.floor(next() * 5), position: () => position, sub: Math.floor(next() * 3) };
        live.push(c);
        index.add(c);
      } else {
        const c = live.splice(Math.floor(next() * live.length), 1)[0]!;
        index.remove(c);
      }
      if (next() < 0.3) continue; // several changes in one commit, sometimes
      index.commit();
      assert.deepEqual(index.facts.storageClasses(), expected(live, 'StorageClass'), `step ${step}: StorageClasses`);
      assert.deepEqual(index.facts.volumeSnapshotClasses!(), expected(live, 'VolumeSnapshotClass'), `step ${step}: snapshot classes`);
      for (const ns of namespaces) assert.deepEqual(index.facts.volumeSnapshots!(ns), expected(live, 'VolumeSnapshot', ns), `step ${step}: VolumeSnapshots in ${ns}`);
    }
  });
}
