/**
 * What building the fact index's per-namespace lists costs (`volumeSnapshots(ns)` for every namespace), by number
 * of objects and namespaces: each list reads only its own namespace's winners, so the total follows the objects,
 * not objects × namespaces. `node --import tsx bench/factLists.ts [objects namespaces]...`
 */
import { FactIndex, type Contribution } from '../core/workspaceIndex.js';

const cases = process.argv.length > 3 ? [[Number(process.argv[2]), Number(process.argv[3])]] : [[10_000, 10], [10_000, 1_000], [20_000, 5_000]];
for (const [objects, namespaces] of cases as [number, number][]) {
  const index = new FactIndex();
  for (let i = 0; i < objects; i++) {
    const c: Contribution = { kind: 'VolumeSnapshot', key: `ns${i % namespaces}/s${i}`, fact: { i }, rank: i, position: () => 0, sub: 0 };
    index.add(c);
  }
  index.commit();
  const start = process.hrtime.bigint();
  let listed = 0;
  for (let k = 0; k < namespaces; k++) listed += index.facts.volumeSnapshots!(`ns${k}`).length;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${objects} VolumeSnapshots in ${namespaces} namespaces: every namespace's list in ${ms.toFixed(1)} ms (${listed} listed)`);
}
