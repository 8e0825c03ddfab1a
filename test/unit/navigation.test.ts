/**
 * core/navigation over a Workspace: symbols per object (nested for VM templates), definitions and references
 * across files (PVC → VolumeSnapshot → VolumeSnapshotContent → class; VM volume → template or claim;
 * StorageClass ↔ StorageProfile; VolumeResize → StatefulSet and its template), live objects behind the files,
 * and the code lenses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NavigationIndex, type LiveObjects, type Place } from '../../core/navigation/index.js';
import { codeLenses } from '../../core/navigation/lenses.js';
import { documentSymbols } from '../../core/navigation/symbols.js';
import { defaultSettings } from '../../core/types.js';
import type { Position } from '../../core/types.js';
import { Workspace } from '../../core/workspace.js';

const files: Record<string, string> = {
  'snap.yaml': `apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: disk-snap
  namespace: vms
spec:
  source:
    persistentVolumeClaimName: disk
  volumeSnapshotClassName: csi-snap
status:
  boundVolumeSnapshotContentName: snapcontent-1
  restoreSize: 20Gi
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotContent
metadata:
  name: snapcontent-1
spec:
  volumeSnapshotClassName: csi-snap
  volumeSnapshotRef:
    name: disk-snap
    namespace: vms
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata:
  name: csi-snap
driver: csi.example.com
deletionPolicy: Delete
`,
  'restore.yaml': `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: restore-a
  namespace: vms
spec:
  storageClassName: fast
  resources:
    requests:
      storage: 20Gi
  dataSource:
    apiGroup: snapshot.storage.k8s.io
    kind: VolumeSnapshot
    name: disk-snap
  dataSourceRef:
    apiGroup: snapshot.storage.k8s.io
    kind: VolumeSnapshot
    name: disk-snap
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: restore-b
      namespace: vms
      labels:
        cdi.kubevirt.io/applyStorageProfile: "true"
    spec:
      storageClassName: fast
      volumeMode: Filesystem
      resources:
        requests:
          storage: 20Mi
      dataSource:
        apiGroup: snapshot.storage.k8s.io
        kind: VolumeSnapshot
        name: disk-snap
`,
  'vm.yaml': `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: win11
  namespace: vms
spec:
  dataVolumeTemplates:
    - metadata:
        name: win11-root
      spec:
        source:
          snapshot:
            name: disk-snap
        storage:
          storageClassName: fast
          resources:
            requests:
              storage: 20Gi
  template:
    spec:
      volumes:
        - name: root
          dataVolume:
            name: win11-root
        - name: data
          persistentVolumeClaim:
            claimName: restore-a
`,
  'classes.yaml': `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: csi.example.com
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: fast
status:
  claimPropertySets:
    - accessModes: [ReadWriteOnce]
      volumeMode: Filesystem
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: vms
spec:
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        resources:
          requests:
            storage: 10Gi
---
apiVersion: storage.maurice.fr/v1alpha1
kind: VolumeResize
metadata:
  name: shrink
  namespace: vms
spec:
  statefulSetName: db
  volumes:
    - name: data
      newSize: 5Gi
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: CDIConfig
metadata:
  name: config
status:
  filesystemOverhead:
    global: "0.06"
`,
};

function workspace(): Workspace {
  const ws = new Workspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws;
}

/** The position of the `n`th `needle` in a file, `offset` characters in. */
function at(file: string, needle: string, offset = 1, n = 0): Position {
  const text = files[file]!;
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} in ${file}`);
  const before = text.slice(0, i + offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** `file:line` of a place, the cluster's as `cluster:Kind/ns/name`. */
function where(p: Place): string {
  return 'file' in p ? `${p.file}:${p.selection.start.line}` : `cluster:${p.cluster.kind}/${p.cluster.namespace ?? ''}/${p.cluster.name}`;
}

function definitionAt(index: NavigationIndex, file: string, needle: string, offset = 1, n = 0): string[] {
  const cursor = index.at(file, at(file, needle, offset, n));
  assert.ok(cursor, `something at ${needle} in ${file}`);
  return index.definitions(cursor.key).map(where);
}

test('symbols: one per object with kind, namespace and name, List items on their own, VM templates and volumes nested', () => {
  const ws = workspace();
  const names = (file: string) => documentSymbols(ws.parsedFile(file)!, ws.resources(file));
  assert.deepEqual(names('restore.yaml').map((s) => s.name), ['PersistentVolumeClaim vms/restore-a', 'PersistentVolumeClaim vms/restore-b']);
  const [vm] = names('vm.yaml');
  assert.equal(vm?.name, 'VirtualMachine vms/win11');
  assert.equal(vm?.detail, 'kubevirt.io/v1');
  assert.deepEqual(vm?.children.map((c) => [c.name, c.detail]), [['dataVolumeTemplate win11-root', 'source snapshot'], ['volume root', 'DataVolume win11-root'], ['volume data', 'PersistentVolumeClaim restore-a']]);
  const classes = names('classes.yaml');
  assert.deepEqual(classes.map((s) => s.name), ['StorageClass fast', 'StorageProfile fast', 'StatefulSet vms/db', 'VolumeResize vms/shrink', 'Ingress web', 'CDIConfig config']);
  assert.deepEqual(classes[2]!.children.map((c) => c.name), ['volumeClaimTemplate data']);
  for (const s of [...classes, vm!, ...vm!.children]) {
    const inside = (r: typeof s.range, p: typeof s.range.start) => (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) && (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));
    assert.ok(inside(s.range, s.selection.start) && inside(s.range, s.selection.end), `${s.name}: the selection is inside the range`);
  }
  // The selection is the name.
  assert.equal(vm?.selection.start.line, at('vm.yaml', 'win11\n').line);
});

test('definitions: PVC → VolumeSnapshot → content → class, VM volume → template or claim, StorageClass ↔ StorageProfile, VolumeResize → StatefulSet', () => {
  const ws = workspace();
  const index = new NavigationIndex(ws, () => 'default');
  assert.deepEqual(definitionAt(index, 'restore.yaml', 'disk-snap'), ['snap.yaml:3']);
  assert.deepEqual(definitionAt(index, 'restore.yaml', 'disk-snap', 1, 2), ['snap.yaml:3'], 'inside the List');
  assert.deepEqual(definitionAt(index, 'snap.yaml', 'snapcontent-1'), ['snap.yaml:16']);
  assert.deepEqual(definitionAt(index, 'snap.yaml', 'csi-snap'), ['snap.yaml:26']);
  assert.deepEqual(definitionAt(index, 'snap.yaml', 'disk-snap', 1, 1), ['snap.yaml:3'], 'content → snapshot');
  assert.deepEqual(definitionAt(index, 'vm.yaml', 'name: win11-root', 7, 1), ['vm.yaml:8'], 'the volume names the template');
  assert.deepEqual(definitionAt(index, 'vm.yaml', 'restore-a'), ['restore.yaml:3']);
  assert.deepEqual(definitionAt(index, 'vm.yaml', 'disk-snap'), ['snap.yaml:3'], 'the template restores the snapshot (its namespace the VM\'s)');
  assert.deepEqual(definitionAt(index, 'restore.yaml', 'fast'), ['classes.yaml:3']);
  assert.deepEqual(definitionAt(index, 'classes.yaml', 'fast'), ['classes.yaml:9'], 'a StorageClass name goes to its StorageProfile');
  assert.deepEqual(definitionAt(index, 'classes.yaml', 'fast', 1, 1), ['classes.yaml:3'], 'and back');
  assert.deepEqual(definitionAt(index, 'classes.yaml', 'statefulSetName: db', 18), ['classes.yaml:18']);
  assert.deepEqual(definitionAt(index, 'classes.yaml', '- name: data', 9), ['classes.yaml:23'], "a VolumeResize volume is the StatefulSet's template");
  // Outside any name: nothing.
  assert.equal(index.at('restore.yaml', at('restore.yaml', 'storage: 20Gi', 11)), undefined);
});

test('references: every place that names an object, across files; the object of a StatefulSet includes its templates', () => {
  const ws = workspace();
  const index = new NavigationIndex(ws, () => 'default');
  const snap = index.at('snap.yaml', at('snap.yaml', 'disk-snap'))!;
  assert.equal(snap.site, 'definition');
  const refs = index.references(snap.key).map((r) => `${r.role} ${r.from.kind} ${r.from.name} ${where(r.place)}`);
  assert.deepEqual(refs.sort(), [
    'restores DataVolume win11-root vm.yaml:12',
    'restores PersistentVolumeClaim restore-a restore.yaml:13',
    'restores PersistentVolumeClaim restore-a restore.yaml:17',
    'restores PersistentVolumeClaim restore-b restore.yaml:38',
    'snapshot VolumeSnapshotContent snapcontent-1 snap.yaml:20',
  ]);
  const sts = index.at('classes.yaml', at('classes.yaml', 'name: db', 6))!;
  assert.deepEqual(index.references(sts.key).map((r) => where(r.place)).sort(), ['classes.yaml:35', 'classes.yaml:37']);
});

test('live objects: a definition only in the cluster is a cluster place; the files win over the cluster', () => {
  const ws = new Workspace();
  ws.setFile('restore.yaml', files['restore.yaml']!);
  let snapshots: unknown[] = [{ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'disk-snap', namespace: 'vms' } }];
  let stamp = 1;
  const live: LiveObjects = { objects: (kind) => (kind === 'VolumeSnapshot' ? snapshots : kind === 'PersistentVolumeClaim' ? [{ metadata: { name: 'other', namespace: 'vms' }, spec: { dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'disk-snap' } } }] : []), stamp: () => stamp };
  const index = new NavigationIndex(ws, () => 'default', () => live);
  assert.deepEqual(definitionAt(index, 'restore.yaml', 'disk-snap'), ['cluster:VolumeSnapshot/vms/disk-snap']);
  const key = index.at('restore.yaml', at('restore.yaml', 'disk-snap'))!.key;
  assert.ok(index.references(key).some((r) => where(r.place) === 'cluster:PersistentVolumeClaim/vms/other'), 'a live PVC restoring it is a reference');
  ws.setFile('snap.yaml', files['snap.yaml']!);
  assert.deepEqual(definitionAt(index, 'restore.yaml', 'disk-snap'), ['snap.yaml:3']);
  snapshots = [];
  stamp++;
  ws.removeFile('snap.yaml');
  assert.deepEqual(definitionAt(index, 'restore.yaml', 'disk-snap'), []);
});

test('code lenses: a VolumeSnapshot\'s restoreSize and its restorers; the bytes CDI renders for a labelled claim and a DataVolume', () => {
  const ws = workspace();
  const index = new NavigationIndex(ws, () => 'default');
  const options = { settings: { ...defaultSettings, cdiVersion: '1.63.1' } };
  const lenses = (file: string) => codeLenses(ws.resources(file), index, ws.facts(options), options.settings);
  const [snapLens, ...others] = lenses('snap.yaml');
  assert.equal(snapLens?.title, 'restoreSize 20Gi · restored by 2 PVCs and 1 DataVolume');
  assert.equal(snapLens?.range.start.line, 0);
  assert.deepEqual(snapLens?.references, at('snap.yaml', 'disk-snap', 0));
  assert.deepEqual(others, []);
  const claims = lenses('restore.yaml');
  assert.equal(claims.length, 1, 'only the labelled PVC');
  assert.match(claims[0]!.title, /^CDI renders 22,229,812 bytes \(overhead 0\.06; CDI v1\.63\.1/);
  assert.equal(claims[0]!.range.start.line, at('restore.yaml', '  - apiVersion').line);
  assert.match(lenses('vm.yaml')[0]!.title, /^CDI renders 22,7\d\d,\d{3},\d{3} bytes/);
});

test('a document that only moved keeps its navigation, shifted: a line added above moves every place by one', () => {
  const ws = workspace();
  const index = new NavigationIndex(ws, () => 'default');
  assert.deepEqual(definitionAt(index, 'restore.yaml', 'disk-snap'), ['snap.yaml:3']);
  const key = index.at('restore.yaml', at('restore.yaml', 'disk-snap'))!.key;
  const before = index.references(key).map((r) => where(r.place)).sort();
  ws.setFile('restore.yaml', `# a comment\n${files['restore.yaml']!}`);
  ws.setFile('snap.yaml', `# one\n# two\n${files['snap.yaml']!}`);
  assert.deepEqual(index.definitions(key).map(where), ['snap.yaml:5']);
  const after = index.references(key).map((r) => where(r.place)).sort();
  const moved = before.map((w) => w.replace(/^(restore\.yaml|snap\.yaml):(\d+)$/, (_, f: string, n: string) => `${f}:${Number(n) + (f === 'snap.yaml' ? 2 : 1)}`)).sort();
  assert.deepEqual(after, moved);
});

test('code lenses of several documents: each resolves to its own object (a lens names its document)', () => {
  const ws = new Workspace();
  const snap = (name: string, size: string) => `apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata:\n  name: ${name}\nstatus:\n  restoreSize: ${size}\n`;
  const pvc = (size: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p${size}\n  labels:\n    cdi.kubevirt.io/applyStorageProfile: "true"\nspec:\n  storageClassName: fast\n  volumeMode: Filesystem\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: ${size}\n`;
  ws.setFile('many.yaml', [snap('a', '1Gi'), snap('b', '2Gi'), pvc('10Mi'), pvc('20Mi')].join('---\n'));
  ws.setFile('classes.yaml', files['classes.yaml']!);
  const index = new NavigationIndex(ws, () => 'default');
  const options = { settings: { ...defaultSettings, cdiVersion: '1.63.1' } };
  const titles = codeLenses(ws.resources('many.yaml'), index, ws.facts(options), options.settings).map((l) => l.title.split(' (')[0]);
  assert.deepEqual(titles, ['restoreSize 1Gi · not restored by anything here', 'restoreSize 2Gi · not restored by anything here', 'CDI renders 11,114,906 bytes', 'CDI renders 22,229,812 bytes']);
});
