/** cluster/ops/compare.ts: what counts as a change between a live object and a dry-run answer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sameContent } from '../../cluster/ops/compare.js';

const ns = (managedFields?: object[], labels: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', resourceVersion: '7', labels, ...(managedFields ? { managedFields } : {}) }, status: { phase: 'Active' },
});
const entry = (manager: string, time: string) => ({ manager, operation: 'Update', apiVersion: 'v1', time, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } });

test('sameContent: timestamps, resourceVersion, status and a before-first-apply entry are no change; fields and managers are', () => {
  assert.ok(sameContent(ns([entry('a', 't1')]), { ...ns([entry('a', 't2')]), status: {} }));
  // What kube-apiserver answers when an object without managedFields is applied again (test/apiserver).
  assert.ok(sameContent(ns(), ns([entry('before-first-apply', 't3')])));
  assert.equal(sameContent(ns(), ns([entry('someone', 't3')])), false, 'a new manager is a change');
  assert.equal(sameContent(ns([], { a: '1' }), ns([], { a: '2' })), false);
  assert.equal(sameContent(ns(), undefined), false);
});
