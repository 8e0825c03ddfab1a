import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { INFLATED, LABEL, mwc, pvcRule, RESTORE_SIZE, restorePvc, startScenario, storageOf, type Scenario } from './admissionFixtures.js';
import { raw, startWebhook, type TestWebhook } from './helpers.js';
import { startEmulator, type Emulator } from './index.js';

const pvcs = '/api/v1/namespaces/default/persistentvolumeclaims';

describe('mutating admission: name order and reinvocation', () => {
  let emu: Emulator;
  let s: Scenario;
  const extra: TestWebhook[] = [];
  beforeEach(async () => {
    emu = await startEmulator();
    s = await startScenario(emu);
  });
  afterEach(async () => {
    for (const w of extra.splice(0)) await w.close();
    await s.close();
    await emu.close();
  });

  it('runs cdi-api-pvc-mutate before pvc-shrink-ray; the stored PVC asks for restoreSize', async () => {
    const r = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('restore-tpm') });
    assert.equal(r.status, 201, r.text);
    assert.equal(storageOf(r.json), RESTORE_SIZE);
    assert.equal(storageOf(emu.store.get('v1', 'PersistentVolumeClaim', 'default', 'restore-tpm')), RESTORE_SIZE);
    assert.deepEqual(s.order, ['cdi', 'shrink']);
    assert.deepEqual(emu.webhookCalls.map((c) => `${c.configuration}:${c.outcome}`), ['cdi-api-pvc-mutate:patched', 'pvc-shrink-ray:patched']);
    assert.equal(storageOf(s.shrink.requests[0]!.object), INFLATED, 'shrink-ray saw what CDI made');
    const req = s.cdi.requests[0]!;
    assert.equal(req.operation, 'CREATE');
    assert.deepEqual(req.kind, { group: '', version: 'v1', kind: 'PersistentVolumeClaim' });
    assert.deepEqual(req['resource'], { group: '', version: 'v1', resource: 'persistentvolumeclaims' });
    assert.equal(req.namespace, 'default');
    assert.equal(req.name, 'restore-tpm');
    assert.equal(req['userInfo'].username, 'admin');
    assert.equal(req.dryRun, false);
    assert.equal(req.oldObject, null);
    assert.equal(req['options'].kind, 'CreateOptions');
    assert.match(emu.webhookCalls[0]!.url, /\/pvc-mutate\?timeout=10s$/);
  });

  it('reinvokes pvc-shrink-ray (IfNeeded) when a later webhook changes the object again', async () => {
    const late = await startWebhook(s.ca, [], () => ({ patch: [{ op: 'replace', path: '/spec/resources/requests/storage', value: '30Mi' }] }));
    extra.push(late);
    emu.store.create(mwc('zz-late-inflater', { name: 'late.example.com', clientConfig: { url: `${late.url}/mutate`, caBundle: late.caBundle }, rules: [pvcRule()], sideEffects: 'None', admissionReviewVersions: ['v1'] }));
    const r = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('restore-tpm') });
    assert.equal(r.status, 201, r.text);
    assert.equal(storageOf(r.json), RESTORE_SIZE);
    assert.deepEqual(s.order, ['cdi', 'shrink', 'shrink']);
    assert.deepEqual(emu.webhookCalls.map((c) => `${c.webhook}#${c.round}`), ['pvc-mutate.cdi.kubevirt.io#1', 'pvc.shrink.ray#1', 'late.example.com#1', 'pvc.shrink.ray#2']);
    assert.equal(storageOf(s.shrink.requests[1]!.object), '30Mi');
  });

  it('does not reinvoke a Never webhook: the later change sticks', async () => {
    await s.close();
    await emu.close();
    emu = await startEmulator();
    s = await startScenario(emu, 'Never');
    const late = await startWebhook(s.ca, [], () => ({ patch: [{ op: 'replace', path: '/spec/resources/requests/storage', value: '30Mi' }] }));
    extra.push(late);
    emu.store.create(mwc('zz-late-inflater', { name: 'late.example.com', clientConfig: { url: `${late.url}/mutate`, caBundle: late.caBundle }, rules: [pvcRule()], sideEffects: 'None' }));
    const r = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('restore-tpm') });
    assert.equal(storageOf(r.json), '30Mi');
    assert.deepEqual(s.order, ['cdi', 'shrink']);
  });

  it('reinvokes only after a change: an unchanged object runs each webhook once', async () => {
    const late = await startWebhook(s.ca, [], () => ({}));
    extra.push(late);
    emu.store.create(mwc('zz-late-noop', { name: 'noop.example.com', clientConfig: { url: late.url, caBundle: late.caBundle }, rules: [pvcRule()], sideEffects: 'None' }));
    await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('restore-tpm') });
    assert.deepEqual(s.order, ['cdi', 'shrink']);
    assert.equal(late.requests.length, 1);
  });

  it('skips webhooks whose objectSelector does not match, or whose rules do not', async () => {
    const r = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('plain', false) });
    assert.equal(storageOf(r.json), RESTORE_SIZE);
    assert.deepEqual(s.order, []);
    await raw(emu, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { [LABEL]: 'true' } } } });
    assert.deepEqual(s.order, []);
    const stored = (await raw(emu, { path: `${pvcs}/plain` })).json;
    stored.metadata.labels = { [LABEL]: 'true' };
    await raw(emu, { method: 'PUT', path: `${pvcs}/plain`, body: stored });
    assert.deepEqual(s.order, [], 'UPDATE is not in the rules');
  });

  it('matches namespaceSelector against the Namespace labels', async () => {
    const w = await startWebhook(s.ca, [], () => ({ patch: [{ op: 'add', path: '/metadata/annotations', value: { seen: 'yes' } }] }));
    extra.push(w);
    emu.store.create(mwc('ns-scoped', { name: 'ns.example.com', clientConfig: { url: w.url, caBundle: w.caBundle }, rules: [{ ...pvcRule(['CREATE', 'UPDATE']) }], namespaceSelector: { matchLabels: { env: 'prod' } }, sideEffects: 'None' }));
    emu.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { env: 'prod' } } });
    const inProd = await raw(emu, { method: 'POST', path: '/api/v1/namespaces/prod/persistentvolumeclaims', body: { ...restorePvc('a', false), metadata: { name: 'a' } } });
    const inDefault = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('b', false) });
    assert.equal(inProd.json.metadata.annotations?.seen, 'yes');
    assert.equal(inDefault.json.metadata.annotations, undefined);
    const upd = await raw(emu, { method: 'PATCH', path: '/api/v1/namespaces/prod/persistentvolumeclaims/a', body: { metadata: { labels: { x: 'y' } } }, contentType: 'application/merge-patch+json' });
    assert.equal(upd.status, 200);
    assert.equal(w.requests[1]!.operation, 'UPDATE');
    assert.equal(w.requests[1]!.oldObject.metadata.name, 'a');
    assert.equal(w.requests[1]!['options'].kind, 'UpdateOptions');
  });

  it('lets validating webhooks see the final object, and deny with their code', async () => {
    const seen: string[] = [];
    const v = await startWebhook(s.ca, [], (r) => {
      seen.push(storageOf(r.object) ?? '');
      return r.name === 'deny-me' ? { allowed: false, status: { code: 403, message: 'restore PVCs must be small' } } : {};
    });
    extra.push(v);
    emu.store.create({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'check' }, webhooks: [{ name: 'check.example.com', clientConfig: { url: v.url, caBundle: v.caBundle }, rules: [pvcRule()], sideEffects: 'None' }] });
    const ok = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('fine') });
    assert.equal(ok.status, 201);
    assert.deepEqual(seen, [RESTORE_SIZE]);
    assert.ok(v.requests[0]!.object.metadata.uid, 'validating webhooks see server-set fields');
    const denied = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('deny-me') });
    assert.equal(denied.status, 403);
    assert.equal(denied.json.message, 'admission webhook "check.example.com" denied the request: restore PVCs must be small');
    assert.equal(emu.store.get('v1', 'PersistentVolumeClaim', 'default', 'deny-me'), undefined);
  });
});

describe('mutating admission: a denial without a code', () => {
  let emu: Emulator;
  after(() => emu.close());
  it('answers 400 with kube\'s message', async () => {
    emu = await startEmulator();
    const s = await startScenario(emu);
    const no = await startWebhook(s.ca, [], () => ({ allowed: false }));
    try {
      emu.store.create(mwc('a-denier', { name: 'deny.example.com', clientConfig: { url: no.url, caBundle: no.caBundle }, rules: [pvcRule()], sideEffects: 'None' }));
      const r = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('x') });
      assert.equal(r.status, 400);
      assert.equal(r.json.message, 'admission webhook "deny.example.com" denied the request without explanation');
      assert.deepEqual(s.order, [], 'the denial stopped the chain before CDI');
    } finally {
      await no.close();
      await s.close();
    }
  });
});
