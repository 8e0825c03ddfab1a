import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from './index.js';
import { pvc, raw } from './helpers.js';
import { ApiError } from './errors.js';
import { matchesRequirements, parseLabelSelector, selectorObjectToRequirements } from './selectors.js';

describe('label selector parsing', () => {
  const labels = { app: 'web', tier: 'front', 'example.com/zone': 'a' };
  const cases: [string, boolean][] = [
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['app notin (db, cache)', true],
    ['missing notin (db)', true],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['example.com/zone in (a, b),!missing', true],
    ['', true],
  ];
  for (const [sel, want] of cases) {
    it(`"${sel}" → ${want}`, () => assert.equal(matchesRequirements(parseLabelSelector(sel), labels), want));
  }
  it('rejects malformed selectors with 400', () => {
    for (const bad of ['app=(x', 'a b', 'app in x', '=x']) {
      assert.throws(() => parseLabelSelector(bad), (e: unknown) => e instanceof ApiError && e.code === 400, bad);
    }
  });
  it('converts LabelSelector objects', () => {
    const reqs = selectorObjectToRequirements({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }, { key: 'gone', operator: 'DoesNotExist' }] });
    assert.equal(matchesRequirements(reqs, labels), true);
    assert.equal(matchesRequirements(selectorObjectToRequirements({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }), labels), false);
    assert.equal(matchesRequirements(selectorObjectToRequirements({}), {}), true, 'empty selector matches everything');
  });
});

describe('LIST over HTTP: selectors and pagination', () => {
  let emu: Emulator;
  const base = '/api/v1/namespaces/default/persistentvolumeclaims';
  const names = (r: { json: { items: { metadata: { name: string } }[] } }): string[] => r.json.items.map((i) => i.metadata.name);
  before(async () => {
    emu = await startEmulator();
    for (let i = 0; i < 10; i++) emu.store.create(pvc(`p${i}`, '1Gi', { idx: String(i), parity: i % 2 ? 'odd' : 'even' }));
    emu.store.create(pvc('other', '1Gi', { parity: 'odd' }, 'ns2'));
  });
  after(() => emu.close());

  it('filters by label selector', async () => {
    assert.deepEqual(names(await raw(emu, { path: `${base}?labelSelector=${encodeURIComponent('parity=odd,idx notin (1,3)')}` })), ['p5', 'p7', 'p9']);
    assert.deepEqual(names(await raw(emu, { path: `${base}?labelSelector=${encodeURIComponent('idx in (2,4)')}` })), ['p2', 'p4']);
    assert.equal((await raw(emu, { path: `${base}?labelSelector=${encodeURIComponent('a in b')}` })).status, 400);
  });

  it('filters by metadata.name and metadata.namespace field selectors', async () => {
    assert.deepEqual(names(await raw(emu, { path: `${base}?fieldSelector=metadata.name%3Dp3` })), ['p3']);
    const all = await raw(emu, { path: `/api/v1/persistentvolumeclaims?fieldSelector=metadata.namespace%3Dns2` });
    assert.deepEqual(names(all), ['other']);
    assert.equal((await raw(emu, { path: `${base}?fieldSelector=metadata.name!%3Dp3` })).json.items.length, 9);
    const bad = await raw(emu, { path: `${base}?fieldSelector=spec.volumeName%3Dx` });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /field label not supported: spec.volumeName/);
  });

  it('paginates with limit/continue and remainingItemCount, at the first page resourceVersion', async () => {
    const first = await raw(emu, { path: `${base}?limit=4` });
    assert.deepEqual(names(first), ['p0', 'p1', 'p2', 'p3']);
    assert.equal(first.json.metadata.remainingItemCount, 6);
    const token = first.json.metadata.continue as string;
    assert.ok(token);
    const second = await raw(emu, { path: `${base}?limit=4&continue=${encodeURIComponent(token)}` });
    assert.deepEqual(names(second), ['p4', 'p5', 'p6', 'p7']);
    assert.equal(second.json.metadata.resourceVersion, first.json.metadata.resourceVersion);
    const third = await raw(emu, { path: `${base}?limit=4&continue=${encodeURIComponent(second.json.metadata.continue)}` });
    assert.deepEqual(names(third), ['p8', 'p9']);
    assert.equal(third.json.metadata.continue, undefined);
    const withSel = await raw(emu, { path: `${base}?limit=2&labelSelector=parity%3Deven` });
    assert.deepEqual(names(withSel), ['p0', 'p2']);
    assert.equal(withSel.json.metadata.remainingItemCount, undefined, 'no count with a selector');
    assert.equal((await raw(emu, { path: `${base}?continue=garbage` })).status, 400);
  });

  it('keeps a namespace apart from namespaces sharing its prefix', async () => {
    for (const ns of ['team', 'team-b', 'team.x', 'teamz']) emu.store.create(pvc('same', '1Gi', undefined, ns));
    const list = await raw(emu, { path: '/api/v1/namespaces/team/persistentvolumeclaims?limit=1' });
    assert.deepEqual(list.json.items.map((i: { metadata: { namespace: string } }) => i.metadata.namespace), ['team']);
    assert.equal(list.json.metadata.continue, undefined);
  });

  it('answers 410 Expired for a continue token older than compaction', async () => {
    const first = await raw(emu, { path: `${base}?limit=2` });
    emu.faults.expireResourceVersions();
    const next = await raw(emu, { path: `${base}?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}` });
    assert.equal(next.status, 410);
    assert.equal(next.json.reason, 'Expired');
    assert.match(next.json.message, /The provided continue parameter is too old/);
    const exact = await raw(emu, { path: `${base}?resourceVersion=${first.json.metadata.resourceVersion}&resourceVersionMatch=Exact` });
    assert.equal(exact.status, 410);
    const legacy = await raw(emu, { path: `${base}?limit=2&resourceVersion=${first.json.metadata.resourceVersion}` });
    assert.equal(legacy.status, 410, 'limit with a non-zero resourceVersion is an exact read');
    assert.equal((await raw(emu, { path: `${base}?resourceVersion=${first.json.metadata.resourceVersion}` })).status, 200, 'NotOlderThan serves the current state');
    const fresh = await raw(emu, { path: `${base}?limit=2` });
    assert.equal(fresh.status, 200, 'a new list works');
  });
});
