import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CdiVersionFact, Facts } from '../../core/facts.js';
import { defaultSettings } from '../../core/types.js';
import { cdiBehaviour, parseCdiVersion, resolveCdiVersion } from '../../core/cdi/version.js';

function factsWithVersion(version?: CdiVersionFact): Facts {
  return {
    volumeSnapshot: () => undefined,
    storageClass: () => undefined,
    storageClasses: () => [],
    storageProfile: () => undefined,
    cdiConfig: () => undefined,
    cdiVersion: () => version,
  };
}

const workspaceVersion = (version: string): CdiVersionFact => ({
  version,
  source: { kind: 'workspace', file: 'cdi.yaml' },
});

test('parseCdiVersion accepts tags, bare versions, pre-releases and git describe output', () => {
  assert.deepEqual(parseCdiVersion('1.63.1'), { ok: true, major: 1, minor: 63, patch: 1, text: 'v1.63.1' });
  assert.deepEqual(parseCdiVersion('v1.63.1'), { ok: true, major: 1, minor: 63, patch: 1, text: 'v1.63.1' });
  assert.deepEqual(parseCdiVersion('v1.64.0-rc.1'), { ok: true, major: 1, minor: 64, patch: 0, text: 'v1.64.0-rc.1' });
  assert.deepEqual(parseCdiVersion('v1.62.0-12-gabcdef'), { ok: true, major: 1, minor: 62, patch: 0, newerThanTag: true, text: 'v1.62.0-12-gabcdef' }, 'commits after the tag');
  assert.deepEqual(parseCdiVersion(' v1.66 '), { ok: true, major: 1, minor: 66, text: 'v1.66' });
  assert.deepEqual(parseCdiVersion('1.64'), { ok: true, major: 1, minor: 64, text: 'v1.64' }, 'a minor: no patch is made up');
});

test('a minor alone (--cdi-version 1.63) stands for the line\'s newest known tag, named without a patch', () => {
  for (const [given, version, formula, skips, same] of [
    ['1.64', 'v1.64', 'multiply', true, [1, 64, 0]],
    ['v1.63', 'v1.63', 'multiply', false, [1, 63, 1]],
    ['1.62', 'v1.62', 'divide', false, [1, 62, 0]],
    ['1.61', 'v1.61', 'divide', false, [1, 61, 5]],
  ] as const) {
    const r = resolveCdiVersion({ ...defaultSettings, cdiVersion: given }, factsWithVersion(workspaceVersion('v1.62.3')));
    assert.equal(r.version, version, given);
    assert.equal(r.source, 'setting');
    assert.equal(r.behaviour.formula, formula, given);
    assert.equal(r.behaviour.skipsSnapshotSources, skips, given);
    assert.deepEqual(r.behaviour.uncertain, [], `${given}: the newest tag is known`);
    const { version: _v, ...behaviour } = r.behaviour;
    const { version: _t, ...tag } = cdiBehaviour(same[0], same[1], same[2]);
    assert.deepEqual(behaviour, tag, `${given} behaves as v${same.join('.')}`);
  }
});

test('parseCdiVersion rejects what is not a version', () => {
  for (const bad of ['', 'latest', 'v1', '1.x.0', 'vv1.2.3', '1.2.3.4']) {
    const p = parseCdiVersion(bad);
    assert.equal(p.ok, false, bad);
  }
});

test('resolveCdiVersion: the setting wins over the facts', () => {
  const r = resolveCdiVersion({ ...defaultSettings, cdiVersion: '1.62.0' }, factsWithVersion(workspaceVersion('v1.64.0')));
  assert.equal(r.source, 'setting');
  assert.equal(r.version, 'v1.62.0');
  assert.equal(r.behaviour.formula, 'divide');
  assert.equal(r.describe, 'CDI v1.62.0 from setting kubevirtStorage.cdi.version');
});

test('resolveCdiVersion: facts from the workspace and the cluster', () => {
  const w = resolveCdiVersion(defaultSettings, factsWithVersion(workspaceVersion('v1.62.0')));
  assert.equal(w.source, 'workspace');
  assert.equal(w.describe, 'CDI v1.62.0 from cdi.yaml');
  const c = resolveCdiVersion(defaultSettings, factsWithVersion({ version: 'v1.64.1', source: { kind: 'cluster', context: 'prod' } }));
  assert.equal(c.source, 'cluster');
  assert.equal(c.behaviour.skipsSnapshotSources, true);
  assert.equal(c.describe, 'CDI v1.64.1 reported by the cluster prod');
});

test('resolveCdiVersion: nothing known assumes v1.66.0, the newest release', () => {
  const r = resolveCdiVersion(defaultSettings, factsWithVersion());
  assert.equal(r.source, 'assumed');
  assert.equal(r.version, 'v1.66.0');
  assert.deepEqual(r.behaviour, cdiBehaviour(1, 66, 0));
  assert.equal(r.behaviour.webhookSwitch, 'policy');
  assert.equal(r.describe, 'CDI v1.66.0 assumed, the newest release (no version known: set kubevirtStorage.cdi.version or --cdi-version)');
});

test('resolveCdiVersion: an invalid setting falls back to the facts and says so', () => {
  const r = resolveCdiVersion({ ...defaultSettings, cdiVersion: 'newest' }, factsWithVersion(workspaceVersion('v1.64.0')));
  assert.equal(r.source, 'workspace');
  assert.equal(r.version, 'v1.64.0');
  assert.match(r.describe, /^CDI v1\.64\.0 from cdi\.yaml; setting kubevirtStorage\.cdi\.version ignored: "newest" is not a CDI version/);
});

test('resolveCdiVersion: an invalid setting and no facts assume the newest release and say why', () => {
  const r = resolveCdiVersion({ ...defaultSettings, cdiVersion: 'newest' }, factsWithVersion());
  assert.equal(r.source, 'assumed');
  assert.match(r.describe, /^CDI v1\.66\.0 assumed, the newest release \(setting kubevirtStorage\.cdi\.version ignored: .*: set kubevirtStorage\.cdi\.version or --cdi-version\)$/);
});

test('resolveCdiVersion: a CDI CR with feature gates but no observedVersion gives no version', () => {
  const r = resolveCdiVersion(defaultSettings, factsWithVersion({ config: { featureGates: ['WebhookPvcRendering'] }, source: { kind: 'workspace', file: 'cdi.yaml' } }));
  assert.equal(r.source, 'assumed');
});

test('resolveCdiVersion: an unparsable reported version is ignored too; a blank setting counts as unset', () => {
  const r = resolveCdiVersion({ ...defaultSettings, cdiVersion: '  ' }, factsWithVersion(workspaceVersion('unknown')));
  assert.equal(r.source, 'assumed');
  assert.match(r.describe, /version "unknown" from cdi\.yaml ignored/);
});
