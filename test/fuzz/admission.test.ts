/**
 * Fuzzing the admission decision (core/admission.ts): any JSON body and any lookup answer. It never throws; an
 * unusable review is refused (the HTTP layer's 400), anything else is allowed with the request's uid; a patch
 * appears only for a labelled PVC CREATE restoring a VolumeSnapshot, and only lowers the request to a positive
 * restoreSize; the lookup is only ever asked for a snapshot in the PVC's own namespace; the answer serialises.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decideWith, extractRequest, type SnapshotLookupResult } from '../../core/admission.js';
import { LABEL } from '../../core/kinds/index.js';
import { parseQuantity } from '../../core/quantity.js';
import { checkProperty, hostileNames, nameArb, quantityArb } from './harness.js';

const junk: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...hostileNames));
const or = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: junk });
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 4 });

const sourceArb = or(
  fc.record({ apiGroup: or(fc.constantFrom('snapshot.storage.k8s.io', '')), kind: or(fc.constantFrom('VolumeSnapshot', 'PersistentVolumeClaim')), name: or(nameArb), namespace: maybe(or(nameArb)) }, { requiredKeys: [] }),
);

const reviewArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  {
    weight: 6,
    arbitrary: fc
      .record({
        apiVersion: maybe(or(fc.constant('admission.k8s.io/v1'))),
        uid: maybe(or(fc.uuid())),
        group: maybe(or(fc.constantFrom('', 'apps'))),
        kind: maybe(or(fc.constantFrom('PersistentVolumeClaim', 'Pod', 'constructor'))),
        operation: maybe(or(fc.constantFrom('CREATE', 'UPDATE', 'DELETE'))),
        namespace: maybe(or(nameArb)),
        objectNamespace: maybe(or(nameArb)),
        label: maybe(or(fc.constantFrom('true', 'false'))),
        storage: maybe(quantityArb),
        dataSource: maybe(sourceArb),
        dataSourceRef: maybe(sourceArb),
      })
      .map((r) => ({
        apiVersion: r.apiVersion,
        kind: 'AdmissionReview',
        request: {
          uid: r.uid,
          kind: { group: r.group, version: 'v1', kind: r.kind },
          operation: r.operation,
          namespace: r.namespace,
          object: {
            metadata: { name: 'p', namespace: r.objectNamespace, labels: r.label === undefined ? {} : { [LABEL.applyStorageProfile]: r.label } },
            spec: { dataSource: r.dataSource, dataSourceRef: r.dataSourceRef, resources: { requests: { storage: r.storage } } },
          },
        },
      })),
  },
);

const lookupArb: fc.Arbitrary<SnapshotLookupResult> = fc.oneof(
  fc.record({ ok: fc.constant(false as const), error: fc.string() }),
  fc.record({ ok: fc.constant(true as const), snapshot: fc.oneof(fc.constant(undefined), junk, fc.record({ status: or(fc.record({ restoreSize: quantityArb }, { requiredKeys: [] })) }, { requiredKeys: [] })) }),
);

function bytes(q: unknown): bigint | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  const p = parseQuantity(String(q));
  return p.ok ? p.quantity.bytes : undefined;
}

test('fuzz: the admission decision never throws, always allows, and only ever lowers a request to restoreSize', () => {
  checkProperty('admission', fc.tuple(reviewArb, lookupArb), ([review, lookup]) => {
    // JSON in, as the server parses it: no functions, no prototypes from the generator.
    const body = JSON.parse(JSON.stringify(review ?? null)) as unknown;
    const extracted = extractRequest(body);
    if (extracted.kind === 'invalid') {
      assert.equal(typeof extracted.error, 'string');
      return;
    }
    const request = (body as { request: Record<string, unknown> }).request;
    const object = request.object as { metadata?: { namespace?: unknown }; spec?: { resources?: { requests?: { storage?: unknown } } } } | undefined;
    let asked: { namespace: string; name: string } | undefined;
    const decision = extracted.kind === 'decided' ? extracted : ((asked = extracted.snapshot), decideWith(extracted, lookup));
    const response = decision.review.response;
    assert.equal(response.allowed, true);
    assert.equal(response.uid, typeof request.uid === 'string' ? request.uid : '');
    JSON.stringify(decision.review);
    if (asked) {
      const pvcNamespace = (typeof object?.metadata?.namespace === 'string' && object.metadata.namespace) || (typeof request.namespace === 'string' ? request.namespace : '');
      assert.equal(asked.namespace, pvcNamespace, 'only a snapshot in the PVC namespace is looked up');
    }
    assert.equal(response.patch !== undefined, decision.result === 'patched');
    if (response.patch === undefined) return;
    assert.equal(request.operation === undefined || request.operation === 'CREATE', true);
    const ops = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as { op: string; path: string; value: string }[];
    assert.equal(ops.length, 1);
    assert.deepEqual([ops[0]!.op, ops[0]!.path], ['replace', '/spec/resources/requests/storage']);
    const to = bytes(ops[0]!.value);
    const from = bytes(object?.spec?.resources?.requests?.storage);
    const restore = lookup.ok ? bytes((lookup.snapshot as { status?: { restoreSize?: unknown } } | undefined)?.status?.restoreSize) : undefined;
    assert.ok(to !== undefined && from !== undefined && to > 0n && to < from, `patched ${String(from)} to ${String(to)}`);
    assert.equal(to, restore, 'to the snapshot restoreSize');
  }, 1000);
});
