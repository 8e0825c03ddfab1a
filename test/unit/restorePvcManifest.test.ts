import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { Facts, SnapshotFact, StorageClassFact } from '../../core/facts.js';
import { factFromObject } from '../../core/kinds/index.js';
import { assessRestorePvc, pvcSpecFromObject, restorePvcManifest, restorePvcName } from '../../core/restorePvcManifest.js';
import { defaultSettings, type Settings } from '../../core/types.js';
import { analyze } from '../../core/workspace.js';

const Mi = 1024n * 1024n;
const cluster = { kind: 'cluster' as const, context: 'test' };

function snapshot(restoreSize: string | number | undefined, extra: Partial<SnapshotFact> = {}): SnapshotFact {
  const object = { metadata: { name: 'disk-snap', namespace: 'vms' }, spec: { source: { persistentVolumeClaimName: 'disk' } }, status: restoreSize === undefined ? {} : { restoreSize, readyToUse: true } };
  return { ...factFromObject('VolumeSnapshot', object, cluster)!, ...extra };
}

function facts(snapshots: SnapshotFact[], classes: StorageClassFact[] = []): Facts {
  return {
    volumeSnapshot: (ns, n) => snapshots.find((s) => s.namespace === ns && s.name === n),
    storageClass: (n) => classes.find((c) => c.name === n),
    storageClasses: () => classes,
    storageProfile: () => undefined,
    cdiConfig: () => undefined,
    cdiVersion: () => undefined,
  };
}

const trident: StorageClassFact = { name: 'trident-nas', provisioner: 'csi.trident.netapp.io', isDefault: false, isDefaultVirt: false, parameters: {}, source: cluster };
const ref = { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'disk-snap' };

function pvcObject(request: string, labels: Record<string, string> = {}, spec: Record<string, unknown> = {}): unknown {
  return {
    metadata: { name: 'restored', namespace: 'vms', labels },
    spec: { storageClassName: 'trident-nas', accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', resources: { requests: { storage: request } }, dataSource: ref, dataSourceRef: ref, ...spec },
  };
}

describe('restorePvcManifest', () => {
  test('a PVC in the snapshot namespace, both references with apiGroup, the canonical restoreSize, the source PVC copied', () => {
    const r = restorePvcManifest(snapshot('1024Mi'), { name: 'disk', storageClassName: 'trident-nas', accessModes: ['ReadWriteMany'], volumeMode: 'Block' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(parse(r.yaml), {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'disk-snap-restore', namespace: 'vms' },
      spec: {
        storageClassName: 'trident-nas',
        accessModes: ['ReadWriteMany'],
        volumeMode: 'Block',
        resources: { requests: { storage: '1Gi' } },
        dataSource: ref,
        dataSourceRef: ref,
      },
    });
    assert.deepEqual(parse(r.yaml), r.manifest);
    assert.doesNotMatch(r.yaml, /applyStorageProfile/);
    assert.match(r.yaml, /^# Restores VolumeSnapshot vms\/disk-snap \(restoreSize 1,073,741,824 bytes\)\.$/m);
    assert.match(r.yaml, /copied from the snapshot's source PVC vms\/disk/);
  });

  test('a byte count restoreSize stays exact; unknown source: ReadWriteOnce, no class or mode, and a comment says so', () => {
    const r = restorePvcManifest(snapshot(22229812));
    assert.ok(r.ok);
    const spec = (parse(r.yaml) as { spec: Record<string, unknown> }).spec;
    assert.deepEqual(spec.resources, { requests: { storage: '22229812' } });
    assert.deepEqual(spec.accessModes, ['ReadWriteOnce']);
    assert.equal(spec.storageClassName, undefined);
    assert.equal(spec.volumeMode, undefined);
    assert.match(r.yaml, /source PVC vms\/disk is not in the cluster/);
  });

  test('no restoreSize, or zero: refused with the reason', () => {
    const none = restorePvcManifest(snapshot(undefined));
    assert.deepEqual(none, { ok: false, reason: 'VolumeSnapshot vms/disk-snap has no restoreSize yet: the size of a restore is not known until it is ready' });
    const zero = restorePvcManifest(snapshot('0'));
    assert.equal(zero.ok, false);
  });

  test('the manifest passes the restore rules against its snapshot (no finding at all)', () => {
    const snap = `apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\nmetadata: {name: disk-snap, namespace: vms}\nspec: {source: {persistentVolumeClaimName: disk}}\nstatus: {readyToUse: true, restoreSize: 20Mi}\n`;
    const r = restorePvcManifest(snapshot('20Mi'), { name: 'disk', storageClassName: 'trident-nas', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' });
    assert.ok(r.ok);
    const findings = analyze([{ file: 'snap.yaml', text: snap }, { file: 'restore.yaml', text: r.yaml }], defaultSettings);
    assert.deepEqual(findings, []);
  });

  test('names stay valid object names', () => {
    assert.equal(restorePvcName('snap'), 'snap-restore');
    const long = restorePvcName(`${'a'.repeat(250)}.b`);
    assert.ok(long.length <= 253 && long.endsWith('-restore'), long);
    assert.equal(restorePvcName(`${'a'.repeat(244)}.b`), `${'a'.repeat(244)}-restore`);
  });
});

describe('pvcSpecFromObject', () => {
  test('reads the fields the CDI model uses; a JSON-number request is bytes', () => {
    const spec = pvcSpecFromObject(pvcObject('20Mi', { a: 'b' }));
    assert.equal(spec.namespace, 'vms');
    assert.deepEqual(spec.labels, { a: 'b' });
    assert.equal(spec.storageClassName, 'trident-nas');
    assert.deepEqual(spec.accessModes, ['ReadWriteMany']);
    assert.equal(spec.requestBytes, 20n * Mi);
    assert.deepEqual(spec.dataSource, { ...ref, namespace: undefined });
    assert.equal(pvcSpecFromObject({ spec: { resources: { requests: { storage: 1000 } } } }).requestBytes, 1000n);
  });

  test('malformed objects give an empty spec, never an exception', () => {
    for (const o of [undefined, null, 3, 'x', [], { metadata: 'x', spec: [] }]) assert.equal(pvcSpecFromObject(o).namespace, 'default');
  });
});

describe('assessRestorePvc', () => {
  const settings: Settings = { ...defaultSettings };

  test('a request above restoreSize: restore-size-exceeded, an error on a strict provisioner', () => {
    const a = assessRestorePvc(pvcSpecFromObject(pvcObject('21Mi')), facts([snapshot('20Mi')], [trident]), settings);
    assert.equal(a?.risk?.rule, 'restore-size-exceeded');
    assert.equal(a?.risk?.severity, 'error');
    assert.equal(a?.risk?.bytes, 21n * Mi);
    assert.match(a!.risk!.message, /asks for 22,020,096 bytes, more than VolumeSnapshot vms\/disk-snap's restoreSize 20Mi \(20,971,520 bytes\)/);
    const lax = assessRestorePvc(pvcSpecFromObject(pvcObject('21Mi')), facts([snapshot('20Mi')], [trident]), { ...settings, strictProvisioners: [] });
    assert.equal(lax?.risk?.severity, 'warning');
  });

  test('labelled for CDI, within restoreSize, but CDI (v1.63) inflates it: cdi-restore-inflation', () => {
    const labelled = pvcSpecFromObject(pvcObject('20Mi', { 'cdi.kubevirt.io/applyStorageProfile': 'true' }));
    const a = assessRestorePvc(labelled, facts([snapshot('20Mi')], [trident]), { ...settings, cdiVersion: '1.63.0' });
    assert.equal(a?.risk?.rule, 'cdi-restore-inflation');
    assert.ok(a!.risk!.bytes > 20n * Mi);
    // CDI v1.64 leaves VolumeSnapshot restores alone.
    assert.equal(assessRestorePvc(labelled, facts([snapshot('20Mi')], [trident]), { ...settings, cdiVersion: '1.64.0' })?.risk, undefined);
  });

  test('at or below restoreSize, unlabelled: no risk; an unknown snapshot: no risk, snapshot named', () => {
    assert.equal(assessRestorePvc(pvcSpecFromObject(pvcObject('20Mi')), facts([snapshot('20Mi')]), settings)?.risk, undefined);
    assert.equal(assessRestorePvc(pvcSpecFromObject(pvcObject('1Gi')), facts([snapshot('2Gi')]), settings)?.risk, undefined);
    const unknown = assessRestorePvc(pvcSpecFromObject(pvcObject('1Gi')), facts([]), settings);
    assert.deepEqual(unknown, { snapshot: { namespace: 'vms', name: 'disk-snap' } });
  });

  test('a PVC that restores no VolumeSnapshot is not assessed', () => {
    assert.equal(assessRestorePvc(pvcSpecFromObject(pvcObject('1Gi', {}, { dataSource: undefined, dataSourceRef: undefined })), facts([]), settings), undefined);
    const clone = { apiGroup: '', kind: 'PersistentVolumeClaim', name: 'src' };
    assert.equal(assessRestorePvc(pvcSpecFromObject(pvcObject('1Gi', {}, { dataSource: clone, dataSourceRef: clone })), facts([snapshot('1Mi')]), settings), undefined);
  });
});
