/**
 * The edit scenario shared by the seeded random-edit test of the Workspace cache (test/unit/workspaceCache.test.ts)
 * and the property-based LSP edit-path test (test/fuzz/edits.test.ts): a workspace of restores, snapshots and
 * classes, and edits that move, break, resize and reorder its documents.
 */
import { docs, pvc, snapshot, storageClass } from '../unit/rules/helpers.js';
import { swapDocuments } from '../unit/yamlFuzz.js';

export { hintOf } from '../unit/yamlFuzz.js';

export const base = docs(
  storageClass('nas', 'csi.trident.netapp.io'),
  snapshot('a', '20Mi'),
  pvc({ name: 'p1', snap: 'a', size: '21Mi', storageClass: 'nas' }),
  pvc({ name: 'p2', snap: 'a', size: '10Mi' }),
  snapshot('b', undefined),
  pvc({ name: 'p3', snap: 'b', labelled: true, via: 'both' }),
  pvc({ name: 'p4', snap: 'missing', size: '20MB' }),
  snapshot('c', '1Gi'),
  pvc({ name: 'p5', snap: 'c', size: '2Gi', labelled: true, via: 'both', storageClass: 'nas' }),
);

export const edits: ((t: string, r: () => number) => string)[] = [
  // insert a comment line somewhere (moves every later document)
  (t, r) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 0, '# note');
    return lines.join('\n');
  },
  // change a size
  (t, r) => t.replace(/storage: \S+/g, (m) => (r() < 0.3 ? `storage: ${['20Mi', '21Mi', '1Gi', '5Gi', '19Mi'][Math.floor(r() * 5)]}` : m)),
  // change a restoreSize
  (t, r) => t.replace(/restoreSize: \S+/g, (m) => (r() < 0.5 ? `restoreSize: ${['20Mi', '21Mi', '1Gi', '0'][Math.floor(r() * 4)]}` : m)),
  // delete a line (may break the YAML)
  (t, r) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 1);
    return lines.join('\n');
  },
  // change the default namespace-independent storage class provisioner
  (t, r) => t.replace(/provisioner: \S+/, r() < 0.5 ? 'provisioner: csi.trident.netapp.io' : 'provisioner: rbd.csi.ceph.com'),
  // swap two documents
  swapDocuments,
];

export const second = docs(snapshot('x', '20Mi'), pvc({ name: 'q', snap: 'a', size: '25Mi' }));
