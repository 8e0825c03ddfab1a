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

test('CDI version decides the formula: v1.62 divides (0.055), v1.63 multiplies (0.06), v1.64 does not inflate', () => {
  const v162 = one(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.62.0'), seedPvc)), 'cdi-restore-inflation');
  assert.equal(v162.data?.predictedBytes, '22192085');
  const v163 = one(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), seedPvc)), 'cdi-restore-inflation');
  assert.equal(v163.data?.predictedBytes, '22229812', 'the issue: v1.63.1 without a CDIConfig already defaults to 0.06');
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

test('no version known: the newest release is assumed (no inflation), and what older releases would do is information', () => {
  const f = one(lint(docs(nas, snapshot('snap', '20Mi'), seedPvc)), 'cdi-restore-inflation');
  assert.equal(f.severity, 'info');
  assert.equal(f.data?.cdiVersion, 'v1.66.0');
  assert.equal(f.data?.predictedBytes, '20971520');
  assert.equal(f.data?.olderReleases, 'v1.63.1=22229812,v1.62.0=22192085');
  assert.match(f.message, /^CDI v1\.66\.0 assumed, the newest release .*: its PVC webhook leaves PersistentVolumeClaim restore .* at 20Mi/);
  assert.match(f.message, /22,229,812 bytes with CDI v1\.63\.0–v1\.63\.1 .*22,192,085 bytes with CDI v1\.62\.0 and older/);
  assert.match(f.message, /Facts used: CDI's PVC webhook: feature gate WebhookPvcRendering assumed on/);
});

test('no label, Block mode, or a warning on a lenient provisioner', () => {
  const unlabelled = pvc({ via: 'both', storageClass: 'nas' });
  assert.deepEqual(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), unlabelled)), []);
  const block = pvc({ labelled: true, via: 'both', storageClass: 'nas', accessModes: '[ReadWriteMany]', volumeMode: 'Block' });
  assert.deepEqual(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), block)), []);
  const ceph = docs(storageClass('nas', 'rbd.csi.ceph.com'), snapshot('snap', '20Mi'), cdi('v1.63.1'), seedPvc);
  assert.equal(one(lint(ceph), 'cdi-restore-inflation').severity, 'warning');
});

const cdiGates = (version: string, gates: string) => `apiVersion: cdi.kubevirt.io/v1beta1
kind: CDI
metadata:
  name: cdi
spec:
  config:
    featureGates: [${gates}]
status:
  observedVersion: ${version}
`;

test('the issue: CDI <= v1.65 without the WebhookPvcRendering gate has no PVC webhook, so nothing is inflated', () => {
  assert.deepEqual(only(lint(docs(nas, snapshot('snap', '20Mi'), cdiGates('v1.63.1', 'HonorWaitForFirstConsumer'), seedPvc)), 'cdi-restore-inflation'), []);
  const on = one(lint(docs(nas, snapshot('snap', '20Mi'), cdiGates('v1.63.1', 'WebhookPvcRendering'), seedPvc)), 'cdi-restore-inflation');
  assert.equal(on.severity, 'error');
  assert.match(on.message, /feature gate WebhookPvcRendering on in the CDI CR's spec\.config \(test\.yaml\)/);
});

test('the issue: a v1.63 patch newer than the last tag "may" inflate: a warning, never an error, saying why', () => {
  const f = one(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.3'), seedPvc)), 'cdi-restore-inflation');
  assert.equal(f.severity, 'warning');
  assert.equal(f.data?.uncertain, 'true');
  assert.equal(f.data?.predictedBytes, '22229812');
  assert.match(f.message, /CDI's PVC webhook may inflate/);
  assert.match(f.message, /It may not: .*#3978, 2025-12-11/);
});

test('every message names the facts it used and where they came from', () => {
  const f = one(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), cdiConfig('0.06'), seedPvc)), 'cdi-restore-inflation');
  assert.match(f.message, /Facts used: CDI v1\.63\.1 from test\.yaml; CDI's PVC webhook: .*; storage class nas as written; overhead 0\.06 from CDIConfig status\.filesystemOverhead\.global \(test\.yaml\)\.$/);
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
  const f = one(lint(docs(nas, snapshot('snap', '20Mi'), cdi('v1.63.1'), bare)), 'cdi-restore-inflation');
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
