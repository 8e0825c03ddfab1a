import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, docs, lint, one, only, pvc, snapshot, storageClass, textAt } from './helpers.js';

const cdi = (version: string) => `apiVersion: cdi.kubevirt.io/v1beta1
kind: CDI
metadata:
  name: cdi
status:
  observedVersion: ${version}
`;
const cdiConfig = (global: string, perClass = '') => `apiVersion: cdi.kubevirt.io/v1beta1
kind: CDIConfig
metadata:
  name: config
status:
  filesystemOverhead:
    global: "${global}"
${perClass ? `    storageClass:\n${perClass}` : ''}`;
const seedPvc = pvc({ labelled: true, via: 'both', storageClass: 'nas', accessModes: '[ReadWriteMany]', volumeMode: 'Filesystem' });
const nas = storageClass('nas', 'csi.trident.netapp.io');

test('the seed case: TPM restore PVC of a 20Mi snapshot, CDI v1.63 with overhead 0.06 -> 22229812 bytes, error on Trident', () => {
  const text = docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), cdiConfig('0.06'), seedPvc);
  const f = one(lint(text), 'cdi-restore-inflation');
  assert.equal(f.severity, 'error');
  assert.equal(f.data?.predictedBytes, '22229812');
  assert.equal(f.data?.requestedBytes, '20971520');
  assert.equal(f.data?.restoreSizeBytes, '20971520');
  assert.equal(f.data?.overhead, '0.06');
  assert.equal(f.data?.cdiVersion, 'v1.63.1');
  assert.match(f.message, /22,229,812 bytes/);
  assert.match(f.message, /CDIConfig/);
  assert.equal(textAt(text, f), 'cdi.kubevirt.io/applyStorageProfile: "true"');
  // Equal to restoreSize, so no size rule fires: the label is the whole problem.
  assert.deepEqual(only(lint(text), 'restore-size-exceeded'), []);
});

test('CDI version decides the formula: v1.62 divides (0.055), unknown assumes v1.63 (0.055), v1.64 does not inflate', () => {
  const v162 = one(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.62.0'), seedPvc)), 'cdi-restore-inflation');
  assert.equal(v162.data?.predictedBytes, '22192085');
  const assumed = one(lint(docs(nas, snapshot('snap', '20Mi'), seedPvc)), 'cdi-restore-inflation');
  assert.equal(assumed.data?.predictedBytes, '22124954');
  assert.match(assumed.message, /assum/);
  assert.deepEqual(only(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.64.0'), seedPvc)), 'cdi-restore-inflation'), []);
  assert.deepEqual(only(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.66.0'), seedPvc)), 'cdi-restore-inflation'), []);
});

test('the cdiVersion setting wins over the CDI CR', () => {
  const text = docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), seedPvc);
  assert.deepEqual(only(lint(text, { cdiVersion: '1.64.1' }), 'cdi-restore-inflation'), []);
});

test('per-class overhead from CDIConfig status is used', () => {
  const text = docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.0'), cdiConfig('0.06', '      nas: "0.1"\n'), seedPvc);
  const f = one(lint(text), 'cdi-restore-inflation');
  assert.equal(f.data?.overhead, '0.1');
  assert.equal(f.data?.predictedBytes, String(Math.ceil(20971520 * 1.1)));
});

test('no label, Block mode, or a warning on a lenient provisioner', () => {
  const unlabelled = pvc({ via: 'both', storageClass: 'nas' });
  assert.deepEqual(lint(docs(nas, snapshot('snap', '20Mi'), unlabelled)), []);
  const block = pvc({ labelled: true, via: 'both', storageClass: 'nas', accessModes: '[ReadWriteMany]', volumeMode: 'Block' });
  assert.deepEqual(lint(docs(nas, snapshot('snap', '20Mi'), block)), []);
  const ceph = docs(storageClass('nas', 'rbd.csi.ceph.com'), snapshot('snap', '20Mi'), seedPvc);
  assert.equal(one(lint(ceph), 'cdi-restore-inflation').severity, 'warning');
});

test('fix: removing the label makes the finding go away and keeps the YAML valid', () => {
  const text = docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), seedPvc);
  const f = one(lint(text), 'cdi-restore-inflation');
  const fix = f.fixes?.[0];
  assert.ok(fix);
  assert.equal(fix.preferred, true, 'class, access modes and volume mode are explicit: removing the label is safe');
  const fixed = applyFix(text, fix);
  assert.doesNotMatch(fixed, /applyStorageProfile/);
  assert.match(fixed, /labels:\n    app: vm\n/);
  assert.deepEqual(lint(fixed), []);
});

test('fix is not preferred when the PVC relies on StorageProfile defaults', () => {
  const bare = pvc({ labelled: true, via: 'both', storageClass: 'nas' });
  const f = one(lint(docs(nas, snapshot('snap', '20Mi'), bare)), 'cdi-restore-inflation');
  assert.equal(f.fixes?.[0]?.preferred, false);
  assert.match(f.fixes![0]!.title, /StorageProfile defaults/);
});

test('minimumSupportedPvcSize of the StorageProfile raises the prediction (GCP hyperdisk, 4Gi)', () => {
  const hd = storageClass('hd', 'pd.csi.storage.gke.io');
  const profile = `apiVersion: cdi.kubevirt.io/v1beta1
kind: StorageProfile
metadata:
  name: hd
  annotations:
    cdi.kubevirt.io/minimumSupportedPvcSize: 4Gi
status:
  claimPropertySets:
    - accessModes: [ReadWriteOnce]
      volumeMode: Filesystem
`;
  const claim = pvc({ labelled: true, via: 'both', storageClass: 'hd', size: '10Mi' });
  const f = one(lint(docs(hd, profile, snapshot('snap', '10Mi'), cdi('v1.63.0'), claim)), 'cdi-restore-inflation');
  assert.equal(f.data?.predictedBytes, String(4n * 1024n ** 3n));
  assert.match(f.message, /minimumSupportedPvcSize/);
});
