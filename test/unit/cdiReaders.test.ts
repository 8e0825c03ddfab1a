// What the readers take from CDIConfig, the CDI CR and CDI's MutatingWebhookConfiguration for the webhook's presence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factFromObject } from '../../core/kinds/index.js';

const source = { kind: 'cluster' as const, context: 'lab' };

test('CDIConfig: featureGates and webhookPvcRendering from spec; a spec that says nothing of them is not kept', () => {
  const config = (spec: object, status?: object) => factFromObject('CDIConfig', { metadata: { name: 'config' }, spec, ...(status ? { status } : {}) }, source);
  assert.deepEqual(config({ featureGates: ['WebhookPvcRendering'] })?.spec, { featureGates: ['WebhookPvcRendering'] });
  assert.deepEqual(config({ webhookPvcRendering: 'Disabled' })?.spec, { webhookPvcRendering: 'Disabled' });
  assert.deepEqual(config({ featureGates: [] })?.spec, { featureGates: [] }, 'an empty list says: no gates');
  assert.equal(config({ filesystemOverhead: { global: '0.1' } }), undefined, 'no status, no switches: nothing CDI reads');
  assert.equal(config({}, { filesystemOverhead: { global: '0.06' } })?.spec, undefined);
});

test("CDI CR: status.observedVersion and spec.config (featureGates absent when the field is)", () => {
  const cdi = (o: object) => factFromObject('CDI', { metadata: { name: 'cdi' }, ...o }, source);
  assert.deepEqual(cdi({ spec: { config: { featureGates: ['A'] } }, status: { observedVersion: 'v1.63.1' } }), { version: 'v1.63.1', config: { featureGates: ['A'] }, source });
  assert.deepEqual(cdi({ spec: { config: {} } }), { config: {}, source });
  assert.deepEqual(cdi({ spec: {}, status: { observedVersion: 'v1.64.0' } }), { version: 'v1.64.0', source });
  assert.equal(cdi({ spec: {} }), undefined);
});

test("MutatingWebhookConfiguration: each webhook's selectors and whether a rule covers PVC creation", () => {
  const mwc = factFromObject('MutatingWebhookConfiguration', {
    metadata: { name: 'cdi-api-pvc-mutate' },
    webhooks: [
      {
        name: 'pvc-mutate.cdi.kubevirt.io',
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['persistentvolumeclaims'], scope: '*' }],
        objectSelector: { matchLabels: { 'cdi.kubevirt.io/applyStorageProfile': 'true' } },
        namespaceSelector: {},
      },
      { name: 'other', rules: [{ operations: ['UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['persistentvolumeclaims'] }] },
      { name: 'wild', rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }] },
    ],
  }, source);
  assert.deepEqual(mwc, {
    present: true,
    webhooks: [
      { name: 'pvc-mutate.cdi.kubevirt.io', matchesPvcCreate: true, objectSelector: { matchLabels: { 'cdi.kubevirt.io/applyStorageProfile': 'true' }, matchExpressions: [] }, namespaceSelector: { matchLabels: {}, matchExpressions: [] } },
      { name: 'other', matchesPvcCreate: false },
      { name: 'wild', matchesPvcCreate: true },
    ],
    source,
  });
});
