/**
 * What the API server refuses after CDI's PVC webhook: validation (ValidatePersistentVolumeClaimSpec,
 * k8s.io/kubernetes v1.34) runs after every mutating webhook and wants spec.resources.requests.storage set and
 * greater than 0. RenderPvc's `isClone` (a cloneType annotation, <= v1.63) sets a missing size to 0; the DataVolume
 * controller's own path sizes the clone before it creates anything, so it is not refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Facts, FactSource, StorageClassFact, StorageProfileFact } from '../../core/facts.js';
import { defaultSettings } from '../../core/types.js';
import { isRejected, rejection, renderDataVolumeStorage, renderPvc, type PvcSpecInput } from '../../core/cdi/render.js';
import { lint, only } from './rules/helpers.js';

const ws = (file: string): FactSource => ({ kind: 'workspace', file });
const cls: StorageClassFact = { name: 'ceph-rbd', isDefault: true, isDefaultVirt: false, parameters: {}, source: ws('sc.yaml') };
const prof: StorageProfileFact = { name: 'ceph-rbd', claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }], claimPropertySetsFrom: 'status', source: ws('sp.yaml') };
const facts: Facts = {
  volumeSnapshot: () => undefined,
  storageClass: (n) => (n === cls.name ? cls : undefined),
  storageClasses: () => [cls],
  storageProfile: (n) => (n === prof.name ? prof : undefined),
  cdiConfig: () => undefined,
  cdiVersion: () => undefined,
};
const at = (cdiVersion: string) => ({ ...defaultSettings, cdiVersion });
/** A labelled host-assisted clone with a plain dataSource (no VolumeCloneSource) and no size. */
const clone: PvcSpecInput = {
  namespace: 'vms',
  labels: { 'cdi.kubevirt.io/applyStorageProfile': 'true' },
  annotations: { 'cdi.kubevirt.io/cloneType': 'copy' },
  storageClassName: 'ceph-rbd',
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Block',
  dataSource: { kind: 'PersistentVolumeClaim', name: 'golden' },
};
const zero = 'spec.resources[storage]: Invalid value: "0": must be greater than zero';

test('isClone (<= v1.63): CDI sets the request to 0 and the API server refuses it; CDI itself denies nothing', () => {
  for (const v of ['v1.62.0', 'v1.63.0', 'v1.63.1']) {
    const r = renderPvc(clone, facts, at(v));
    assert.deepEqual(r.denials, [], v);
    assert.equal(r.renderedBytes, 0n, v);
    assert.deepEqual(r.refusals, [`CDI ${v} sets spec.resources.requests.storage to 0 (the cdi.kubevirt.io/cloneType annotation lets a clone leave out its size), which the API server's validation refuses (${zero})`], v);
    assert.equal(isRejected(r), true);
    assert.match(rejection(r, 'this PVC') ?? '', /^The API server would refuse this PVC: CDI v1\.6/);
    assert.deepEqual(r.uncertain.filter((u) => u.includes('may deny it instead')), [], `${v} is a tag: certain`);
  }
});

test('v1.64+ has no isClone allowance (#3958): CDI denies the missing size itself', () => {
  for (const v of ['v1.64.0', 'v1.65.0', 'v1.66.0']) {
    const r = renderPvc(clone, facts, at(v));
    assert.deepEqual(r.denials, ['PVC Spec is not valid - missing storage size'], v);
    assert.deepEqual(r.refusals, [], v);
    assert.match(rejection(r) ?? '', /^CDI would reject it: PVC Spec is not valid - missing storage size$/);
  }
});

test('a patch after v1.63.1: refused either way, and the denial it may make instead is said', () => {
  const r = renderPvc(clone, facts, at('v1.63.2'));
  assert.equal(r.refusals.length, 1);
  assert.ok(r.uncertain.some((u) => u.includes('may deny it instead (PVC Spec is not valid - missing storage size)') && u.includes('#3964')), JSON.stringify(r.uncertain));
});

test('a size, or no cloneType annotation: no refusal (a size is inflated; no annotation is a denial)', () => {
  assert.deepEqual(renderPvc({ ...clone, requestBytes: 10n * 1024n ** 3n }, facts, at('v1.63.1')).refusals, []);
  const plain = renderPvc({ ...clone, annotations: {} }, facts, at('v1.63.1'));
  assert.deepEqual([plain.denials, plain.refusals], [['PVC Spec is not valid - missing storage size'], []]);
});

test("the DataVolume controller's clone without a size is not refused: it sizes the PVC from the source itself", () => {
  const input = { ...clone, labels: {}, annotations: {} };
  for (const v of ['v1.63.1', 'v1.66.0']) {
    const r = renderDataVolumeStorage(input, facts, at(v), { cloneSource: true });
    assert.deepEqual([r.denials, r.refusals, r.renderedBytes], [[], [], 0n], v);
  }
});

const manifest = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: copy-of-golden
  namespace: vms
  labels:
    cdi.kubevirt.io/applyStorageProfile: "true"
  annotations:
    cdi.kubevirt.io/cloneType: copy
spec:
  storageClassName: ceph-rbd
  accessModes: [ReadWriteOnce]
  dataSource:
    kind: PersistentVolumeClaim
    name: golden
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ceph-rbd
provisioner: rbd.csi.ceph.com
`;

test('cdi-render-rejected names the API server as the one refusing, on the claim spec', () => {
  const found = only(lint(manifest, { cdiVersion: 'v1.63.1' }), 'cdi-render-rejected');
  assert.deepEqual(found.map((f) => [f.severity, f.message]), [[
    'error',
    `The API server will refuse PersistentVolumeClaim copy-of-golden after CDI's PVC webhook: CDI v1.63.1 sets spec.resources.requests.storage to 0 (the cdi.kubevirt.io/cloneType annotation lets a clone leave out its size), which the API server's validation refuses (${zero}).`,
  ]]);
  assert.equal(manifest.split('\n')[found[0]!.range.start.line], 'spec:');
  const newer = only(lint(manifest, { cdiVersion: 'v1.66.0' }), 'cdi-render-rejected');
  assert.match(newer[0]?.message ?? '', /^CDI will reject PersistentVolumeClaim copy-of-golden \(CDI's PVC webhook\): PVC Spec is not valid - missing storage size\.$/);
});
