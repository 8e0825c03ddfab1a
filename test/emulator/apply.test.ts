import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { raw } from './helpers.js';
import { startEmulator, type Emulator } from './index.js';

const APPLY = 'application/apply-patch+yaml';
const path = '/apis/apps/v1/namespaces/default/deployments/web';
const deployment = (replicas: number, image = 'web:1', extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    ...extra,
  },
});

describe('server-side apply', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  it('creates on first apply (201) with an Apply managedFields entry', async () => {
    const r = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=deployer`, body: deployment(2), contentType: APPLY });
    assert.equal(r.status, 201);
    assert.equal(r.json.spec.replicas, 2);
    const mf = r.json.metadata.managedFields;
    assert.equal(mf.length, 1);
    assert.equal(mf[0].manager, 'deployer');
    assert.equal(mf[0].operation, 'Apply');
    assert.deepEqual(mf[0].fieldsV1['f:spec']['f:replicas'], {});
    assert.deepEqual(mf[0].fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']['.'], {});
  });

  it('changes nothing on a second identical apply: same resourceVersion', async () => {
    const before = emu.store.get('apps/v1', 'Deployment', 'default', 'web') as { metadata: { resourceVersion: string } };
    const r = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=deployer`, body: deployment(2), contentType: APPLY });
    assert.equal(r.status, 200);
    assert.equal(r.json.metadata.resourceVersion, before.metadata.resourceVersion);
    // YAML bodies are accepted too.
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "web:1"}]\n';
    const y = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=deployer`, body: yaml, contentType: APPLY });
    assert.equal(y.json.metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('conflicts (409) when another manager owns a field with a different value; force takes it over', async () => {
    const scaled = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=scaler`, body: { spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' });
    assert.equal(scaled.json.spec.replicas, 5);
    const managers = scaled.json.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`);
    assert.deepEqual(managers.sort(), ['deployer/Apply', 'scaler/Update']);
    const c = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=deployer`, body: deployment(2), contentType: APPLY });
    assert.equal(c.status, 409);
    assert.equal(c.json.reason, 'Conflict');
    assert.equal(c.json.message, 'Apply failed with 1 conflict: conflict with "scaler" using apps/v1: .spec.replicas');
    assert.deepEqual(c.json.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "scaler" using apps/v1', field: '.spec.replicas' }]);
    const same = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=other`, body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, contentType: APPLY });
    assert.equal(same.status, 200, 'the same value shares ownership without conflict');
    const f = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=deployer&force=true`, body: deployment(2), contentType: APPLY });
    assert.equal(f.status, 200);
    assert.equal(f.json.spec.replicas, 2);
    const scaler = f.json.metadata.managedFields.find((m: { manager: string }) => m.manager === 'scaler');
    assert.equal(scaler, undefined, 'the scaler lost its only field');
  });

  it('removes fields the manager stops applying, keeps fields others own', async () => {
    await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=deployer&force=true`, body: deployment(2, 'web:1', { minReadySeconds: 5, paused: false }), contentType: APPLY });
    await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=labeler`, body: { metadata: { labels: { team: 'x' } } }, contentType: 'application/merge-patch+json' });
    const r = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=deployer`, body: deployment(2, 'web:2', { paused: false }), contentType: APPLY });
    assert.equal(r.status, 200);
    assert.equal(r.json.spec.minReadySeconds, undefined, 'no longer applied, owned by nobody else: removed');
    assert.equal(r.json.spec.template.spec.containers[0].image, 'web:2');
    assert.equal(r.json.metadata.labels.team, 'x', 'owned by another manager: kept');
  });

  it('ignores status on the main resource and applies it on /status', async () => {
    const r = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=deployer`, body: { ...deployment(2, 'web:2', { paused: false }), status: { replicas: 9 } }, contentType: APPLY });
    assert.equal(r.json.status, undefined);
    const s = await raw(emu, { method: 'PATCH', path: `${path}/status?fieldManager=controller`, body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, status: { replicas: 2 } }, contentType: APPLY });
    assert.equal(s.status, 200);
    assert.equal(s.json.status.replicas, 2);
    const entry = s.json.metadata.managedFields.find((m: { manager: string }) => m.manager === 'controller');
    assert.equal(entry.subresource, 'status');
  });

  it('requires fieldManager (422) and a matching name (400)', async () => {
    const noMgr = await raw(emu, { method: 'PATCH', path, body: deployment(1), contentType: APPLY });
    assert.equal(noMgr.status, 422);
    assert.match(noMgr.json.message, /fieldManager: Required value: is required for apply patch/);
    const wrong = await raw(emu, { method: 'PATCH', path: `${path}?fieldManager=x`, body: { ...deployment(1), metadata: { name: 'other' } }, contentType: APPLY });
    assert.equal(wrong.status, 400);
  });

  it('drops a namespace given to a cluster-scoped object, so re-applying finds it', async () => {
    const mwcPath = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/hook?fieldManager=x';
    const body = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'hook', namespace: 'default' }, webhooks: [] };
    const first = await raw(emu, { method: 'PATCH', path: mwcPath, body, contentType: APPLY });
    assert.equal(first.status, 201);
    assert.equal(first.json.metadata.namespace, undefined);
    const second = await raw(emu, { method: 'PATCH', path: mwcPath, body, contentType: APPLY });
    assert.equal(second.status, 200);
    assert.equal(second.json.metadata.resourceVersion, first.json.metadata.resourceVersion);
  });

  it('dry-run apply creates nothing', async () => {
    const r = await raw(emu, { method: 'PATCH', path: '/api/v1/namespaces/default/configmaps/dry?fieldManager=x&dryRun=All', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '1' } }, contentType: APPLY });
    assert.equal(r.status, 201);
    assert.equal(emu.store.get('v1', 'ConfigMap', 'default', 'dry'), undefined);
  });
});
