import assert from 'node:assert/strict';
import net from 'node:net';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { mwc, pvcRule, RESTORE_SIZE, restorePvc, startScenario, storageOf, type Scenario } from './admissionFixtures.js';
import { raw, startWebhook, type TestWebhook } from './helpers.js';
import { startEmulator, type Emulator } from './index.js';
import { createCa, issueServingCert } from './tls.js';

const pvcs = '/api/v1/namespaces/default/persistentvolumeclaims';

/** A port on which nothing listens. */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('admission failures, dry-run and TLS', () => {
  let emu: Emulator;
  let s: Scenario;
  let port: number;
  before(async () => {
    emu = await startEmulator();
    s = await startScenario(emu);
    port = await deadPort();
  });
  after(async () => {
    await s.close();
    await emu.close();
  });
  beforeEach(() => {
    for (const name of ['dead', 'hanging', 'bad-tls', 'side-effects', 'unknown-svc']) emu.store.delete('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, name);
    s.order.length = 0;
  });

  const dead = (failurePolicy: string): Record<string, unknown> =>
    mwc('dead', { name: 'dead.example.com', clientConfig: { url: `https://127.0.0.1:${port}/x`, caBundle: s.cdi.caBundle }, rules: [pvcRule()], failurePolicy, sideEffects: 'None', timeoutSeconds: 2 });

  it('failurePolicy Ignore skips a dead webhook; the chain goes on', async () => {
    emu.store.create(dead('Ignore'));
    const r = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('ignored') });
    assert.equal(r.status, 201, r.text);
    assert.equal(storageOf(r.json), RESTORE_SIZE);
    assert.deepEqual(s.order, ['cdi', 'shrink']);
    assert.match(emu.webhookCalls.find((c) => c.configuration === 'dead')!.outcome, /^error: .*connection refused/);
  });

  it('failurePolicy Fail rejects with kube\'s InternalError message', async () => {
    emu.store.create(dead('Fail'));
    const r = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('failed') });
    assert.equal(r.status, 500);
    assert.equal(r.json.reason, 'InternalError');
    assert.equal(r.json.message, `Internal error occurred: failed calling webhook "dead.example.com": failed to call webhook: Post "https://127.0.0.1:${port}/x?timeout=2s": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    assert.equal(emu.store.get('v1', 'PersistentVolumeClaim', 'default', 'failed'), undefined);
    const defaulted = mwc('dead', { name: 'dead.example.com', clientConfig: { url: `https://127.0.0.1:${port}/x` }, rules: [pvcRule()], sideEffects: 'None' });
    emu.store.upsert(defaulted);
    assert.equal((await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('failed2') })).status, 500, 'failurePolicy defaults to Fail');
  });

  it('honours timeoutSeconds', async () => {
    const hang = await startWebhook(s.ca, [], () => new Promise(() => undefined));
    try {
      emu.store.create(mwc('hanging', { name: 'hang.example.com', clientConfig: { url: hang.url, caBundle: hang.caBundle }, rules: [pvcRule()], failurePolicy: 'Fail', sideEffects: 'None', timeoutSeconds: 1 }));
      const t0 = Date.now();
      const r = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('slow') });
      assert.equal(r.status, 500);
      assert.match(r.json.message, /failed calling webhook "hang.example.com": failed to call webhook: Post ".*\?timeout=1s": context deadline exceeded$/);
      assert.ok(Date.now() - t0 < 5000);
    } finally {
      await hang.close();
    }
  });

  it('verifies the webhook certificate against caBundle and the service name', async () => {
    const otherCa = await createCa('someone-else');
    emu.store.create(mwc('bad-tls', { name: 'tls.example.com', clientConfig: { service: { namespace: 'openshift-cnv', name: 'pvc-shrink-ray', path: '/mutate' }, caBundle: Buffer.from(otherCa.certPem).toString('base64') }, rules: [pvcRule()], failurePolicy: 'Fail', sideEffects: 'None' }));
    const r = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('untrusted') });
    assert.equal(r.status, 500);
    assert.match(r.json.message, /failed calling webhook "tls.example.com": failed to call webhook: Post "https:\/\/pvc-shrink-ray.openshift-cnv.svc:443\/mutate\?timeout=10s": /);
    // A certificate without the service's DNS name fails too, even from the right CA.
    const cert = await issueServingCert(s.ca, ['127.0.0.1']);
    const srv = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (_q, res) => res.end('{}'));
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', () => ok()));
    try {
      emu.services.register('tls', 'wrong-name', 443, `https://127.0.0.1:${(srv.address() as AddressInfo).port}`);
      emu.store.upsert(mwc('bad-tls', { name: 'tls.example.com', clientConfig: { service: { namespace: 'tls', name: 'wrong-name' }, caBundle: s.cdi.caBundle }, rules: [pvcRule()], failurePolicy: 'Fail', sideEffects: 'None' }));
      const r2 = await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('wrong-name') });
      assert.equal(r2.status, 500);
      assert.match(r2.json.message, /wrong-name\.tls\.svc/);
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((ok) => srv.close(() => ok()));
    }
  });

  it('an unregistered service fails the call (Ignore skips it)', async () => {
    emu.store.create(mwc('unknown-svc', { name: 'svc.example.com', clientConfig: { service: { namespace: 'x', name: 'nobody' } }, rules: [pvcRule()], failurePolicy: 'Ignore', sideEffects: 'None' }));
    assert.equal((await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('svc-ignored') })).status, 201);
    assert.match(emu.webhookCalls.filter((c) => c.configuration === 'unknown-svc').at(-1)!.outcome, /service "nobody" not found/);
  });

  it('dryRun=All calls webhooks with dryRun true and stores nothing', async () => {
    const r = await raw(emu, { method: 'POST', path: `${pvcs}?dryRun=All`, body: restorePvc('dry') });
    assert.equal(r.status, 201);
    assert.equal(storageOf(r.json), RESTORE_SIZE);
    assert.equal(s.cdi.requests.at(-1)!.dryRun, true);
    assert.deepEqual(s.cdi.requests.at(-1)!['options'].dryRun, ['All']);
    assert.equal(s.shrink.requests.at(-1)!.dryRun, true);
    assert.equal(emu.store.get('v1', 'PersistentVolumeClaim', 'default', 'dry'), undefined);
  });

  it('a dry run fails on a matching webhook with side effects', async () => {
    const w: TestWebhook = await startWebhook(s.ca, [], () => ({}));
    try {
      emu.store.create(mwc('side-effects', { name: 'side.example.com', clientConfig: { url: w.url, caBundle: w.caBundle }, rules: [pvcRule()], failurePolicy: 'Ignore', sideEffects: 'Some' }));
      const r = await raw(emu, { method: 'POST', path: `${pvcs}?dryRun=All`, body: restorePvc('dry-side') });
      assert.equal(r.status, 400);
      assert.equal(r.json.message, 'admission webhook "side.example.com" does not support dry run');
      assert.equal(w.requests.length, 0);
      assert.equal((await raw(emu, { method: 'POST', path: pvcs, body: restorePvc('wet-side') })).status, 201, 'real requests still work');
    } finally {
      await w.close();
    }
  });
});
