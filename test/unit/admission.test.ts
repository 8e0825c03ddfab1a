// The admission decision against facts §1.1 (grandeit/pvc-shrink-ray main.go at 13b399d).
// Cases marked "upstream" are main_test.go's: TestOversizedPVCGetsShrunk_DataSource,
// TestOversizedPVCGetsShrunk_DataSourceRef, TestCorrectlySizedPVCIsUntouched, TestHTTPEndpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareQuantities,
  decide,
  decideWith,
  extractRequest,
  type AdmissionReason,
  type Decision,
  type InvalidReview,
  type SnapshotLookupResult,
} from '../../core/admission.js';
import { parseQuantity } from '../../core/quantity.js';

const LABEL = 'cdi.kubevirt.io/applyStorageProfile';
const GROUP = 'snapshot.storage.k8s.io';

interface PvcOptions {
  namespace?: string;
  name?: string;
  labels?: Record<string, unknown> | null;
  dataSource?: unknown;
  dataSourceRef?: unknown;
  storage?: unknown;
  noResources?: boolean;
}

function pvc(o: PvcOptions = {}): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (o.dataSource !== undefined) spec.dataSource = o.dataSource;
  if (o.dataSourceRef !== undefined) spec.dataSourceRef = o.dataSourceRef;
  if (!o.noResources) spec.resources = o.storage === undefined ? {} : { requests: { storage: o.storage } };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: o.name ?? 'my-pvc', namespace: o.namespace ?? 'test-ns', labels: o.labels === null ? undefined : (o.labels ?? { [LABEL]: 'true' }) },
    spec,
  };
}

const fromSnapshot = (name: string, storage: unknown = '21Gi', extra: PvcOptions = {}) =>
  pvc({ dataSource: { apiGroup: GROUP, kind: 'VolumeSnapshot', name }, storage, ...extra });

function review(object: unknown, request: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'test-uid', kind: { group: '', version: 'v1', kind: 'PersistentVolumeClaim' }, operation: 'CREATE', namespace: 'test-ns', name: 'my-pvc', object, ...request },
  };
}

function snapshot(namespace: string, name: string, restoreSize?: unknown, withStatus = true): Record<string, unknown> {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'VolumeSnapshot',
    metadata: { namespace, name },
    ...(withStatus ? { status: restoreSize === undefined ? { readyToUse: false } : { restoreSize } } : {}),
  };
}

/** A lookup over fixed snapshots that records what it was asked. */
function store(...snapshots: Record<string, unknown>[]) {
  const asked: string[] = [];
  const lookup = (namespace: string, name: string): SnapshotLookupResult => {
    asked.push(`${namespace}/${name}`);
    const found = snapshots.find((s) => {
      const m = s.metadata as { namespace: string; name: string };
      return m.namespace === namespace && m.name === name;
    });
    return { ok: true, snapshot: found };
  };
  return { lookup, asked };
}

function decided(r: Decision | InvalidReview): Decision {
  if (r.kind !== 'decided') assert.fail(`expected a decision, got invalid: ${r.error}`);
  return r;
}

function patchOf(d: Decision): unknown {
  const p = d.review.response.patch;
  return p === undefined ? undefined : JSON.parse(Buffer.from(p, 'base64').toString('utf8'));
}

function assertAllowedUnchanged(d: Decision, reason: AdmissionReason, message?: RegExp): void {
  assert.equal(d.reason, reason, d.message);
  assert.equal(d.review.response.allowed, true);
  assert.equal(d.review.response.patch, undefined);
  assert.equal(d.review.response.patchType, undefined);
  assert.equal(d.patch, undefined);
  if (message) assert.match(d.review.response.status?.message ?? '', message);
}

function assertShrunkTo(d: Decision, value: string): void {
  assert.equal(d.reason, 'shrunk', d.message);
  assert.equal(d.result, 'patched');
  assert.equal(d.review.response.allowed, true);
  assert.equal(d.review.response.patchType, 'JSONPatch');
  assert.deepEqual(patchOf(d), [{ op: 'replace', path: '/spec/resources/requests/storage', value }]);
}

test('upstream: dataSource 21Gi restoring a 20Gi snapshot is shrunk to 20Gi', () => {
  const { lookup, asked } = store(snapshot('test-ns', 'my-snapshot', '20Gi'));
  const d = decided(decide(review(fromSnapshot('my-snapshot')), lookup));
  assertShrunkTo(d, '20Gi');
  assert.deepEqual(asked, ['test-ns/my-snapshot']);
  assert.deepEqual(d.pvc, { namespace: 'test-ns', name: 'my-pvc' });
  assert.deepEqual(d.snapshot, { namespace: 'test-ns', name: 'my-snapshot' });
  assert.deepEqual(d.patch && { from: d.patch.from, to: d.patch.to, fromBytes: d.patch.fromBytes, toBytes: d.patch.toBytes }, {
    from: '21Gi', to: '20Gi', fromBytes: 21n * 2n ** 30n, toBytes: 20n * 2n ** 30n,
  });
});

test('upstream reads a dataSourceRef into another namespace and shrinks; here it is allowed unchanged without a lookup (issue 16)', () => {
  const { lookup, asked } = store(snapshot('snapshot-ns', 'my-snapshot', '20Gi'));
  const object = pvc({ namespace: 'pvc-ns', dataSourceRef: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'my-snapshot', namespace: 'snapshot-ns' }, storage: '21Gi' });
  const d = decided(decide(review(object, { namespace: 'pvc-ns' }), lookup));
  assertAllowedUnchanged(d, 'cross-namespace-source');
  assert.equal(d.result, 'skipped');
  assert.deepEqual(asked, [], 'the other namespace is never read: its restoreSize would leak through the patch');
  assert.match(d.message, /restores VolumeSnapshot snapshot-ns\/my-snapshot from another namespace: allowed unchanged/);
  // Naming its own namespace explicitly is no cross-namespace source.
  const own = pvc({ namespace: 'pvc-ns', dataSourceRef: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'mine', namespace: 'pvc-ns' }, storage: '21Gi' });
  assertShrunkTo(decided(decide(review(own, { namespace: 'pvc-ns' }), store(snapshot('pvc-ns', 'mine', '20Gi')).lookup)), '20Gi');
});

test('upstream: a request equal to restoreSize is untouched', () => {
  const { lookup } = store(snapshot('test-ns', 'my-snapshot', '20Gi'));
  const d = decided(decide(review(fromSnapshot('my-snapshot', '20Gi')), lookup));
  assertAllowedUnchanged(d, 'not-larger');
  assert.equal(d.result, 'unchanged');
});

test('upstream: the HTTP review without an operation field is still handled (shape of TestHTTPEndpoint)', () => {
  const r = review(fromSnapshot('my-snapshot'));
  delete (r.request as Record<string, unknown>).operation;
  const d = decided(decide(r, store(snapshot('test-ns', 'my-snapshot', '20Gi')).lookup));
  assertShrunkTo(d, '20Gi');
});

test('the seed scenario: CDI inflated 20Mi to 22229812 bytes, the webhook sets it back to 20Mi', () => {
  const d = decided(decide(review(fromSnapshot('vm-snap', '22229812')), store(snapshot('test-ns', 'vm-snap', '20Mi')).lookup));
  assertShrunkTo(d, '20Mi');
  assert.equal(d.patch?.from, '22229812');
  assert.match(d.message, /22229812.*20Mi.*test-ns\/vm-snap/);
});

test('the patch value is the canonical restoreSize, not the text the snapshot was written with', () => {
  for (const [written, canonical] of [['20480Mi', '20Gi'], ['1073741824', '1073741824'], ['2048M', '2048M'], ['22229812', '22229812'], ['1.5Gi', '1536Mi'], ['2G', '2G']] as const) {
    const d = decided(decide(review(fromSnapshot('s', '1Ti')), store(snapshot('test-ns', 's', written)).lookup));
    assertShrunkTo(d, canonical);
  }
});

test('the response: uid, apiVersion and kind echoed; the reason in status.message; nothing else', () => {
  const r = review(fromSnapshot('my-snapshot'), { uid: '705ab4f5-6393-11e8-b7cc-42010a800002' });
  r.apiVersion = 'admission.k8s.io/v1';
  const d = decided(decide(r, store(snapshot('test-ns', 'my-snapshot', '20Gi')).lookup));
  assert.deepEqual(Object.keys(d.review).sort(), ['apiVersion', 'kind', 'response']);
  assert.equal(d.review.apiVersion, 'admission.k8s.io/v1');
  assert.equal(d.review.kind, 'AdmissionReview');
  assert.equal(d.review.response.uid, '705ab4f5-6393-11e8-b7cc-42010a800002');
  assert.match(d.review.response.status?.message ?? '', /set to 20Gi/);
});

test('strictly larger only: one byte over restoreSize is patched, one under is not', () => {
  const { lookup } = store(snapshot('test-ns', 's', '20Mi'));
  assertShrunkTo(decided(decide(review(fromSnapshot('s', String(20 * 2 ** 20 + 1))), lookup)), '20Mi');
  assertAllowedUnchanged(decided(decide(review(fromSnapshot('s', String(20 * 2 ** 20 - 1))), lookup)), 'not-larger');
  assertAllowedUnchanged(decided(decide(review(fromSnapshot('s', '20480Ki')), lookup)), 'not-larger');
});

test('the comparison is exact, as Quantity.Cmp: a fraction of a byte over restoreSize is larger', () => {
  const { lookup } = store(snapshot('test-ns', 's', '1k'));
  assertShrunkTo(decided(decide(review(fromSnapshot('s', '1000.5')), lookup)), '1k');
  assertAllowedUnchanged(decided(decide(review(fromSnapshot('s', '1000000m')), lookup)), 'not-larger');
  const q = (t: string) => {
    const r = parseQuantity(t);
    assert.ok(r.ok);
    return r.quantity;
  };
  assert.equal(compareQuantities(q('1Ki'), q('1024')), 0);
  assert.equal(compareQuantities(q('1e3'), q('1k')), 0);
  assert.equal(compareQuantities(q('999m'), q('1')), -1);
  assert.equal(compareQuantities(q('1Ei'), q('1E')), 1);
});

test('a request given as a JSON number is read as a quantity', () => {
  const d = decided(decide(review(fromSnapshot('s', 22229812)), store(snapshot('test-ns', 's', '20Mi')).lookup));
  assertShrunkTo(d, '20Mi');
});

test('dataSource is read first: a matching dataSource wins over a dataSourceRef', () => {
  const { lookup, asked } = store(snapshot('test-ns', 'a', '20Gi'), snapshot('other', 'b', '10Gi'));
  const object = pvc({
    dataSource: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'a' },
    dataSourceRef: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'b', namespace: 'other' },
    storage: '21Gi',
  });
  assertShrunkTo(decided(decide(review(object), lookup)), '20Gi');
  assert.deepEqual(asked, ['test-ns/a']);
});

test('dataSourceRef is used when dataSource is not a VolumeSnapshot (or has no name)', () => {
  const { lookup, asked } = store(snapshot('test-ns', 'b', '10Gi'));
  for (const dataSource of [{ kind: 'PersistentVolumeClaim', name: 'src' }, { apiGroup: GROUP, kind: 'VolumeSnapshot', name: '' }]) {
    const object = pvc({ dataSource, dataSourceRef: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'b' }, storage: '21Gi' });
    assertShrunkTo(decided(decide(review(object), lookup)), '10Gi');
  }
  assert.deepEqual(asked, ['test-ns/b', 'test-ns/b'], 'dataSourceRef without a namespace means the PVC namespace');
});

test('an empty dataSourceRef.namespace means the PVC namespace', () => {
  const { lookup, asked } = store(snapshot('test-ns', 'b', '10Gi'));
  const object = pvc({ dataSourceRef: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'b', namespace: '' }, storage: '21Gi' });
  assertShrunkTo(decided(decide(review(object), lookup)), '10Gi');
  assert.deepEqual(asked, ['test-ns/b']);
});

test('dataSource never names another namespace, even if a namespace field is smuggled in', () => {
  const { lookup, asked } = store(snapshot('test-ns', 'a', '10Gi'));
  const object = pvc({ dataSource: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 'a', namespace: 'elsewhere' }, storage: '21Gi' });
  assertShrunkTo(decided(decide(review(object), lookup)), '10Gi');
  assert.deepEqual(asked, ['test-ns/a']);
});

test('apiGroup must be exactly snapshot.storage.k8s.io and kind exactly VolumeSnapshot', () => {
  const { lookup, asked } = store(snapshot('test-ns', 's', '10Gi'));
  const refs: unknown[] = [
    { kind: 'VolumeSnapshot', name: 's' }, // nil apiGroup
    { apiGroup: '', kind: 'VolumeSnapshot', name: 's' },
    { apiGroup: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', name: 's' },
    { apiGroup: 'Snapshot.Storage.K8s.io', kind: 'VolumeSnapshot', name: 's' },
    { apiGroup: GROUP, kind: 'volumesnapshot', name: 's' },
    { apiGroup: GROUP, kind: 'VolumeSnapshotContent', name: 's' },
    { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeCloneSource', name: 's' },
  ];
  for (const r of refs) {
    for (const via of ['dataSource', 'dataSourceRef'] as const) {
      const d = decided(decide(review(pvc({ [via]: r, storage: '21Gi' })), lookup));
      assertAllowedUnchanged(d, 'no-snapshot-source', /does not restore a VolumeSnapshot/);
      assert.equal(d.result, 'skipped');
    }
  }
  assert.deepEqual(asked, [], 'no lookup without a snapshot source');
});

test('without the label, or with a value other than "true", the PVC is allowed unchanged without a lookup', () => {
  const { lookup, asked } = store(snapshot('test-ns', 's', '10Gi'));
  for (const labels of [null, {}, { [LABEL]: 'false' }, { [LABEL]: 'True' }, { [LABEL]: '' }, { other: 'true' }]) {
    const d = decided(decide(review(fromSnapshot('s', '21Gi', { labels })), lookup));
    assertAllowedUnchanged(d, 'no-label', /applyStorageProfile/);
  }
  assert.deepEqual(asked, []);
});

test('the GVK guard: any group other than "" or kind other than PersistentVolumeClaim is allowed unchanged', () => {
  const { lookup, asked } = store(snapshot('test-ns', 's', '10Gi'));
  const kinds = [
    { group: 'apps', version: 'v1', kind: 'PersistentVolumeClaim' },
    { group: '', version: 'v1', kind: 'Pod' },
    { group: GROUP, version: 'v1', kind: 'VolumeSnapshot' },
    undefined,
    {},
  ];
  for (const kind of kinds) {
    const r = review(fromSnapshot('s'));
    (r.request as Record<string, unknown>).kind = kind;
    const d = decided(decide(r, lookup));
    assertAllowedUnchanged(d, 'not-a-pvc', /not a PersistentVolumeClaim/);
    assert.equal(d.review.response.uid, 'test-uid');
  }
  assert.deepEqual(asked, []);
});

test('operations other than CREATE are allowed unchanged', () => {
  const { lookup, asked } = store(snapshot('test-ns', 's', '10Gi'));
  for (const operation of ['UPDATE', 'DELETE', 'CONNECT']) {
    assertAllowedUnchanged(decided(decide(review(fromSnapshot('s'), { operation }), lookup)), 'not-create', new RegExp(operation));
  }
  assert.deepEqual(asked, []);
});

test('fail open: the snapshot does not exist', () => {
  const d = decided(decide(review(fromSnapshot('gone')), store().lookup));
  assertAllowedUnchanged(d, 'snapshot-missing', /VolumeSnapshot test-ns\/gone not found/);
  assert.equal(d.result, 'failed-open');
});

test('fail open: the lookup fails, its error in the message', () => {
  const d = decided(decide(review(fromSnapshot('s')), () => ({ ok: false, error: 'volumesnapshots.snapshot.storage.k8s.io "s" is forbidden' })));
  assertAllowedUnchanged(d, 'lookup-failed', /is forbidden/);
  assert.equal(d.result, 'failed-open');
});

test('fail open: no status, or a status without restoreSize (readyToUse is not read)', () => {
  const cases = [snapshot('test-ns', 's', undefined, false), snapshot('test-ns', 's', undefined), { metadata: {}, status: { readyToUse: true, restoreSize: null } }];
  for (const s of cases) {
    assertAllowedUnchanged(decided(decide(review(fromSnapshot('s')), () => ({ ok: true, snapshot: s }))), 'no-restore-size', /no restoreSize/);
  }
  // readyToUse false with a restoreSize still patches, as upstream.
  const notReady = { ...snapshot('test-ns', 's', '20Gi'), status: { readyToUse: false, restoreSize: '20Gi' } };
  assertShrunkTo(decided(decide(review(fromSnapshot('s')), () => ({ ok: true, snapshot: notReady }))), '20Gi');
});

test('fail open: a zero restoreSize is never patched in (stricter than upstream, whose "0" the API server would refuse)', () => {
  for (const zero of ['0', '0Gi', 0, '-1Gi']) {
    const d = decided(decide(review(fromSnapshot('s')), () => ({ ok: true, snapshot: snapshot('test-ns', 's', zero) })));
    assertAllowedUnchanged(d, 'restore-size-not-positive', /restoreSize/);
  }
});

test('fail open: an unparseable restoreSize', () => {
  for (const bad of ['20 Gi', 'lots', true, { value: 1 }]) {
    const d = decided(decide(review(fromSnapshot('s')), () => ({ ok: true, snapshot: snapshot('test-ns', 's', bad) })));
    assertAllowedUnchanged(d, 'invalid-restore-size', /invalid restoreSize/);
  }
});

test('fail open: the PVC has no storage request (after the lookup, as upstream)', () => {
  const { lookup, asked } = store(snapshot('test-ns', 's', '20Gi'));
  for (const extra of [{ noResources: true }, {}, { storage: null }]) {
    const object = pvc({ dataSource: { apiGroup: GROUP, kind: 'VolumeSnapshot', name: 's' }, ...extra });
    assertAllowedUnchanged(decided(decide(review(object), lookup)), 'no-storage-request', /no storage request/);
  }
  assert.equal(asked.length, 3);
});

test('fail open: a PVC object that does not decode (bad request quantity, wrong types)', () => {
  const { lookup, asked } = store(snapshot('test-ns', 's', '20Gi'));
  const objects: unknown[] = [
    undefined,
    'a string',
    fromSnapshot('s', '20 Gi'),
    fromSnapshot('s', '22GB'),
    fromSnapshot('s', { bytes: 5 }),
    { metadata: 'x', spec: {} },
    { metadata: { labels: ['a'] }, spec: {} },
    { metadata: { labels: { [LABEL]: true } }, spec: {} },
    { metadata: { labels: { [LABEL]: 'true' } }, spec: [] },
  ];
  for (const object of objects) {
    const r = review(object);
    if (object === undefined) delete (r.request as Record<string, unknown>).object;
    const d = decided(decide(r, lookup));
    assertAllowedUnchanged(d, 'undecodable-object', /could not decode PVC/);
    assert.equal(d.result, 'failed-open');
  }
  assert.deepEqual(asked, []);
});

test('malformed reviews are invalid (HTTP 400), never thrown', () => {
  const bodies: unknown[] = [
    null,
    42,
    'review',
    [],
    {},
    { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' },
    { request: null },
    { request: 'x' },
    { request: [] },
    { request: { uid: 7 } },
    { request: { kind: 'PersistentVolumeClaim' } },
    { request: { operation: ['CREATE'] } },
    { apiVersion: 1, request: {} },
  ];
  for (const body of bodies) {
    const r = decide(body, () => assert.fail('no lookup for an invalid review'));
    assert.equal(r.kind, 'invalid', JSON.stringify(body));
    assert.ok((r as InvalidReview).error.length > 0);
  }
  assert.match((decide({}, () => ({ ok: true })) as InvalidReview).error, /request is missing/);
});

test('a review with no apiVersion or kind answers as admission.k8s.io/v1 AdmissionReview; no uid echoes ""', () => {
  const d = decided(decide({ request: { kind: { group: '', kind: 'Pod' } } }, () => ({ ok: true })));
  assert.equal(d.review.apiVersion, 'admission.k8s.io/v1');
  assert.equal(d.review.kind, 'AdmissionReview');
  assert.equal(d.review.response.uid, '');
});

test('the PVC namespace falls back to request.namespace; generateName names the PVC in messages', () => {
  const object = fromSnapshot('s');
  const meta = object.metadata as Record<string, unknown>;
  delete meta.namespace;
  delete meta.name;
  meta.generateName = 'restore-';
  const { lookup, asked } = store(snapshot('req-ns', 's', '20Gi'));
  const d = decided(decide(review(object, { namespace: 'req-ns', name: '' }), lookup));
  assertShrunkTo(d, '20Gi');
  assert.deepEqual(asked, ['req-ns/s']);
  assert.deepEqual(d.pvc, { namespace: 'req-ns', name: 'restore-*' });
});

test('extractRequest then decideWith: the async path gives the same answer as decide', () => {
  const r = review(fromSnapshot('my-snapshot'));
  const extracted = extractRequest(r);
  assert.equal(extracted.kind, 'lookup');
  if (extracted.kind !== 'lookup') return;
  assert.deepEqual(extracted.snapshot, { namespace: 'test-ns', name: 'my-snapshot' });
  const result: SnapshotLookupResult = { ok: true, snapshot: snapshot('test-ns', 'my-snapshot', '20Gi') };
  assert.deepEqual(decideWith(extracted, result), decide(r, () => result));
  // Re-usable: a pending review is plain data, deciding twice gives the same result.
  assert.deepEqual(decideWith(extracted, result), decideWith(extracted, result));
});

test('extractRequest answers at once when no lookup is needed', () => {
  const e = extractRequest(review(pvc({ storage: '1Gi' })));
  assert.equal(e.kind, 'decided');
  assert.equal((e as Decision).reason, 'no-snapshot-source');
});
