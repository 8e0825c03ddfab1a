import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openWatch, pvc, raw } from './helpers.js';
import { startEmulator, type Emulator } from './index.js';

describe('fault injection', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ https: false });
  });
  after(() => emu.close());

  it('fails the next matching requests with a Status body, then recovers', async () => {
    emu.faults.failNext({ method: 'get', path: /\/persistentvolumeclaims$/ }, 503, 2);
    const a = await raw(emu, { path: '/api/v1/namespaces/default/persistentvolumeclaims' });
    assert.equal(a.status, 503);
    assert.equal(a.json.kind, 'Status');
    assert.equal(a.json.reason, 'ServiceUnavailable');
    assert.equal(a.json.code, 503);
    assert.equal(a.headers['retry-after'], '1');
    assert.equal((await raw(emu, { path: '/api/v1/namespaces/default/configmaps' })).status, 200, 'other paths are untouched');
    assert.equal((await raw(emu, { method: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: pvc('f') })).status, 201, 'other methods too');
    assert.equal((await raw(emu, { path: '/api/v1/namespaces/default/persistentvolumeclaims' })).status, 503);
    assert.equal((await raw(emu, { path: '/api/v1/namespaces/default/persistentvolumeclaims' })).status, 200);
  });

  it('can fail discovery and any method', async () => {
    emu.faults.failNext({ path: /^\/apis$/ }, 500);
    const r = await raw(emu, { path: '/apis' });
    assert.equal(r.status, 500);
    assert.equal(r.json.reason, 'InternalError');
    emu.faults.failNext({}, 429);
    assert.equal((await raw(emu, { path: '/version' })).status, 429);
  });

  it('adds latency to every request until reset', async () => {
    emu.faults.latency(500);
    const t0 = Date.now();
    await raw(emu, { path: '/version' });
    assert.ok(Date.now() - t0 >= 490, 'latency applied');
    emu.faults.failNext({ path: /never-matches/ }, 500);
    emu.faults.reset();
    const t1 = Date.now();
    await raw(emu, { path: '/version' });
    assert.ok(Date.now() - t1 < 490, 'latency reset');
  });

  it('dropWatches and expireResourceVersions combine into a 410 on re-watch', async () => {
    const rv = (await raw(emu, { path: '/api/v1/namespaces/default/persistentvolumeclaims' })).json.metadata.resourceVersion;
    const w = await openWatch(emu, `/api/v1/namespaces/default/persistentvolumeclaims?watch=true&resourceVersion=${rv}`);
    emu.faults.expireResourceVersions();
    emu.faults.dropWatches();
    await w.waitForEnd();
    const again = await openWatch(emu, `/api/v1/namespaces/default/persistentvolumeclaims?watch=true&resourceVersion=${rv}`);
    await again.waitForEnd();
    assert.equal(again.events[0]?.object.code, 410);
  });
});
