import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openWatch, pvc, raw } from './helpers.js';
import { startEmulator, type Emulator } from './index.js';

const base = '/api/v1/namespaces/default/persistentvolumeclaims';

describe('WATCH', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ bookmarkIntervalMs: 0 });
  });
  after(() => emu.close());

  it('streams ADDED/MODIFIED/DELETED after a resourceVersion, newline-delimited', async () => {
    emu.store.create(pvc('w0'));
    const list = await raw(emu, { path: base });
    const w = await openWatch(emu, `${base}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`);
    assert.equal(w.status, 200);
    emu.store.create(pvc('w1'));
    emu.store.patchStatus('v1', 'PersistentVolumeClaim', 'default', 'w1', { phase: 'Bound' });
    emu.store.delete('v1', 'PersistentVolumeClaim', 'default', 'w1');
    const ev = await w.waitForEvents(3);
    assert.deepEqual(ev.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
    assert.equal(ev[0]!.object.kind, 'PersistentVolumeClaim', 'watch objects carry kind');
    const rvs = ev.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!, 'increasing resourceVersions, DELETED at its own');
    w.close();
  });

  it('replays history from an older resourceVersion and sends synthetic ADDED without one', async () => {
    const list = await raw(emu, { path: base });
    emu.store.create(pvc('h1'));
    emu.store.create(pvc('h2'));
    const w = await openWatch(emu, `${base}?watch=1&resourceVersion=${list.json.metadata.resourceVersion}`);
    assert.deepEqual((await w.waitForEvents(2)).map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED h1', 'ADDED h2']);
    w.close();
    const all = await openWatch(emu, `${base}?watch=true`);
    const n = (await raw(emu, { path: base })).json.items.length;
    assert.ok((await all.waitForEvents(n)).every((e) => e.type === 'ADDED'));
    all.close();
  });

  it('sends BOOKMARK events only when allowed', async () => {
    const rv = (await raw(emu, { path: base })).json.metadata.resourceVersion;
    const withBm = await openWatch(emu, `${base}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    const without = await openWatch(emu, `${base}?watch=true&resourceVersion=${rv}`);
    emu.sendBookmarks();
    emu.store.create(pvc('bm'));
    const ev = await withBm.waitForEvents(2);
    assert.equal(ev[0]!.type, 'BOOKMARK');
    assert.equal(ev[0]!.object.kind, 'PersistentVolumeClaim');
    assert.equal(ev[0]!.object.apiVersion, 'v1');
    assert.equal(ev[0]!.object.metadata.resourceVersion, rv);
    await without.waitForEvents(1);
    assert.deepEqual(without.events.map((e) => e.type), ['ADDED']);
    withBm.close();
    without.close();
  });

  it('sends bookmarks periodically when configured', async () => {
    const e2 = await startEmulator({ https: false, bookmarkIntervalMs: 20 });
    try {
      const w = await openWatch(e2, `${base}?watch=true&resourceVersion=1&allowWatchBookmarks=true`);
      const ev = await w.waitForEvents(2);
      assert.ok(ev.every((e) => e.type === 'BOOKMARK'));
      w.close();
    } finally {
      await e2.close();
    }
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await openWatch(emu, `${base}?watch=true&timeoutSeconds=1&resourceVersion=${(await raw(emu, { path: base })).json.metadata.resourceVersion}&allowWatchBookmarks=true`);
    await w.waitForEnd();
    assert.deepEqual(w.events.map((e) => e.type), ['BOOKMARK'], 'a final bookmark before closing');
  });

  it('turns objects leaving or entering a label selector into DELETED/ADDED', async () => {
    emu.store.create(pvc('sel', '1Gi', { tier: 'gold' }));
    const rv = (await raw(emu, { path: base })).json.metadata.resourceVersion;
    const w = await openWatch(emu, `${base}?watch=true&resourceVersion=${rv}&labelSelector=tier%3Dgold`);
    const cur = emu.store.get('v1', 'PersistentVolumeClaim', 'default', 'sel') as Record<string, { labels?: object }>;
    emu.store.update({ ...cur, metadata: { ...cur['metadata'], labels: { tier: 'silver' } } });
    emu.store.update({ ...cur, metadata: { ...cur['metadata'], labels: { tier: 'gold' } } });
    emu.store.create(pvc('not-gold', '1Gi', { tier: 'bronze' }));
    emu.store.delete('v1', 'PersistentVolumeClaim', 'default', 'sel');
    const ev = await w.waitForEvents(3);
    assert.deepEqual(ev.map((e) => `${e.type} ${e.object.metadata.name}`), ['DELETED sel', 'ADDED sel', 'DELETED sel']);
    w.close();
  });

  it('watches one object by name with a fieldSelector', async () => {
    const rv = (await raw(emu, { path: base })).json.metadata.resourceVersion;
    const w = await openWatch(emu, `${base}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Done`);
    emu.store.create(pvc('two'));
    emu.store.create(pvc('one'));
    assert.deepEqual((await w.waitForEvents(1)).map((e) => e.object.metadata.name), ['one']);
    w.close();
  });

  it('answers an expired resourceVersion with an ERROR event carrying a 410 Status', async () => {
    const rv = (await raw(emu, { path: base })).json.metadata.resourceVersion;
    emu.faults.expireResourceVersions();
    const w = await openWatch(emu, `${base}?watch=true&resourceVersion=${rv}`);
    assert.equal(w.status, 200);
    await w.waitForEnd();
    assert.equal(w.events.length, 1);
    assert.equal(w.events[0]!.type, 'ERROR');
    assert.equal(w.events[0]!.object.kind, 'Status');
    assert.equal(w.events[0]!.object.code, 410);
    assert.equal(w.events[0]!.object.reason, 'Expired');
    assert.match(w.events[0]!.object.message, /^too old resource version: \d+ \(\d+\)$/);
    const fresh = (await raw(emu, { path: base })).json.metadata.resourceVersion;
    const ok = await openWatch(emu, `${base}?watch=true&resourceVersion=${fresh}`);
    emu.store.create(pvc('after-expiry'));
    assert.equal((await ok.waitForEvents(1))[0]!.type, 'ADDED', 'a relist gives a usable resourceVersion');
    ok.close();
  });

  it('dropWatches ends every open stream', async () => {
    const a = await openWatch(emu, `${base}?watch=true&resourceVersion=0`);
    const b = await openWatch(emu, '/apis/snapshot.storage.k8s.io/v1/volumesnapshots?watch=true');
    emu.faults.dropWatches();
    await a.waitForEnd();
    await b.waitForEnd();
  });

  it('supports sendInitialEvents with an initial-events-end bookmark', async () => {
    const w = await openWatch(emu, `${base}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    const n = (await raw(emu, { path: base })).json.items.length;
    const ev = await w.waitForEvents(n + 1);
    assert.equal(ev[n]!.type, 'BOOKMARK');
    assert.equal(ev[n]!.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    w.close();
  });

  it('serves the legacy /watch/ path prefix', async () => {
    const w = await openWatch(emu, '/api/v1/watch/namespaces/default/configmaps');
    emu.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy' } });
    assert.equal((await w.waitForEvents(1))[0]!.object.metadata.name, 'legacy');
    w.close();
  });
});
