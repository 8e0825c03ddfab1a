// vm-restore-field-unsupported, and where the KubeVirt version comes from: the setting, else a KubeVirt CR in the
// files (before the cluster's), else the newest release modelled, assumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { layerFacts, noCluster, type Facts } from '../../../core/facts.js';
import { resolveKubevirtVersion } from '../../../core/kubevirt/version.js';
import { toSettings } from '../../../server/settings.js';
import { defaultSettings } from '../../../core/types.js';
import { Workspace } from '../../../core/workspace.js';
import { docs, lint, one, only, snapshot, storageClass, textAt } from './helpers.js';
import { content, vmRestore, vmSnapshot } from './vmRestoreFixtures.js';

const restore = vmRestore;
const kubevirtCr = (version: string) => `apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata:
  name: kubevirt
  namespace: kubevirt
status:
  observedKubeVirtVersion: ${version}
`;
const rule = 'vm-restore-field-unsupported';

test('vm-restore-field-unsupported: a field older releases do not have is dropped (warning at its key)', () => {
  const text = restore('  volumeRestorePolicy: InPlace\n  volumeRestoreOverrides:\n    - volumeName: rootdisk\n      restoreName: mine\n');
  const found = only(lint(text, { kubevirtVersion: 'v1.5.3' }), rule);
  assert.deepEqual(found.map((f) => [f.severity, textAt(text, f), f.data?.since]), [
    ['warning', 'volumeRestorePolicy', 'v1.6.0'],
    ['warning', 'volumeRestoreOverrides', 'v1.6.0'],
  ]);
  assert.match(found[0]!.message, /KubeVirt v1\.5\.3 has no spec\.volumeRestorePolicy \(it is from v1\.6\.0\): the API server drops the field/);
  assert.match(found[0]!.message, /restore PVCs are named restore-<uid>-<volume>\. KubeVirt v1\.5\.3 from setting kubevirtStorage\.kubevirt\.version\.$/);
  assert.deepEqual(only(lint(text, { kubevirtVersion: 'v1.6.0' }), rule), [], 'v1.6.0 has both');
  const owned = restore('  volumeOwnershipPolicy: None\n');
  assert.equal(one(lint(owned, { kubevirtVersion: '1.6' }), rule).data?.since, 'v1.7.0');
  assert.deepEqual(only(lint(owned, { kubevirtVersion: '1.7.0' }), rule), []);
});

test('vm-restore-field-unsupported: a value the webhook does not list is refused (error at the value)', () => {
  const text = restore('  volumeRestorePolicy: PrefixTargetName\n');
  const f = one(lint(text, { kubevirtVersion: 'v1.7.4' }), rule);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(text, f), 'PrefixTargetName');
  assert.match(f.message, /volume restore policy "PrefixTargetName" doesn't exist in KubeVirt v1\.7\.4 \(it is from v1\.8\.0\); the values are RandomizeNames, InPlace\./);
  assert.deepEqual(only(lint(text, { kubevirtVersion: 'v1.8.0' }), rule), []);
  // With no version known the newest is assumed, and said: only unknown values are reported then.
  assert.deepEqual(only(lint(text), rule), []);
  const typo = one(lint(restore('  volumeOwnershipPolicy: VM\n')), rule);
  assert.equal(typo.data?.kubevirtVersionSource, 'assumed');
  assert.match(typo.message, /KubeVirt v1\.9\.0 assumed, the newest release modelled \(no version known: set kubevirtStorage\.kubevirt\.version or --kubevirt-version\)\.$/);
});

test('the KubeVirt version: a KubeVirt CR in the files, beaten by the setting; a bad setting falls through, said', () => {
  const text = docs(kubevirtCr('v1.5.2'), restore('  volumeRestorePolicy: InPlace\n'));
  const fromFile = one(lint(text), rule);
  assert.equal(fromFile.data?.kubevirtVersionSource, 'workspace');
  assert.match(fromFile.message, /KubeVirt v1\.5\.2 from test\.yaml\.$/);
  assert.deepEqual(only(lint(text, { kubevirtVersion: '1.8.1' }), rule), [], 'the setting wins');
  const bad = one(lint(text, { kubevirtVersion: 'newest' }), rule);
  assert.match(bad.message, /KubeVirt v1\.5\.2 from test\.yaml; setting kubevirtStorage\.kubevirt\.version ignored: "newest" is not a KubeVirt version/);
});

test('resolveKubevirtVersion: setting, then the workspace CR before the cluster\'s, then assumed', () => {
  const facts = (version: string | undefined, kind: 'workspace' | 'cluster'): Facts => ({
    ...noCluster,
    kubevirtVersion: () => (version === undefined ? undefined : { version, source: kind === 'cluster' ? { kind: 'cluster', context: 'prod' } : { kind: 'workspace', file: 'kv.yaml' } }),
  });
  const layered = layerFacts(facts('v1.6.1', 'workspace'), facts('v1.8.0', 'cluster'));
  assert.deepEqual([resolveKubevirtVersion({}, layered).version, resolveKubevirtVersion({}, layered).source], ['v1.6.1', 'workspace']);
  const clusterOnly = layerFacts(facts(undefined, 'workspace'), facts('v1.8.0', 'cluster'));
  assert.equal(resolveKubevirtVersion({}, clusterOnly).describe, 'KubeVirt v1.8.0 reported by the cluster prod');
  assert.equal(resolveKubevirtVersion({ kubevirtVersion: 'v1.4.1' }, layered).source, 'setting');
  assert.equal(resolveKubevirtVersion({}, noCluster).source, 'assumed');
  // A downstream product's own numbering is not KubeVirt's: ignored, said.
  const downstream = resolveKubevirtVersion({}, facts('v4.18.3', 'cluster'));
  assert.equal(downstream.source, 'assumed');
  assert.match(downstream.describe, /version "v4\.18\.3" from cluster prod ignored: "v4\.18\.3" is not a KubeVirt v1 release/);
});

test('the editor setting kubevirtStorage.kubevirt.version maps to settings.kubevirtVersion', () => {
  assert.equal(toSettings({ kubevirt: { version: ' 1.6.3 ' } }).settings.kubevirtVersion, '1.6.3');
  assert.equal(toSettings({ 'kubevirt.version': '1.7' }).settings.kubevirtVersion, '1.7');
  assert.equal(toSettings({}).settings.kubevirtVersion, undefined);
});

test('Workspace: editing the KubeVirt CR in another file re-runs the restore in this one', () => {
  const ws = new Workspace();
  const options = { settings: defaultSettings };
  ws.setFile('restore.yaml', restore('  volumeRestorePolicy: PrefixTargetName\n'));
  assert.deepEqual(ws.analyzeFile('restore.yaml', options).filter((f) => f.rule === rule), []);
  ws.setFile('kubevirt.yaml', kubevirtCr('v1.6.2'));
  assert.deepEqual(ws.analyzeFile('restore.yaml', options).filter((f) => f.rule === rule).map((f) => f.severity), ['error']);
  ws.setFile('kubevirt.yaml', kubevirtCr('v1.5.0'));
  assert.deepEqual(ws.analyzeFile('restore.yaml', options).filter((f) => f.rule === rule).map((f) => f.severity), ['warning']);
  ws.removeFile('kubevirt.yaml');
  assert.deepEqual(ws.analyzeFile('restore.yaml', options).filter((f) => f.rule === rule), []);
});

test('vm-restore-inflation names the KubeVirt version when the restore PVC name depends on it', () => {
  const cdi = 'apiVersion: cdi.kubevirt.io/v1beta1\nkind: CDI\nmetadata:\n  name: cdi\nstatus:\n  observedVersion: v1.63.0\n';
  const common = [storageClass('nas', 'csi.trident.netapp.io'), cdi, vmSnapshot(), content(true), snapshot('vs-tpm', '10Mi')];
  const prefixed = one(lint(docs(...common, restore('  volumeRestorePolicy: PrefixTargetName\n')), { kubevirtVersion: 'v1.8.0' }), 'vm-restore-inflation');
  assert.equal(prefixed.data?.restorePvc, 'vm-tpm');
  assert.equal(prefixed.data?.kubevirtVersion, 'v1.8.0');
  assert.match(prefixed.message, /Restore PVC named as KubeVirt v1\.8\.0 from setting kubevirtStorage\.kubevirt\.version\.$/);
  // On v1.5 the field is dropped: the default name.
  assert.equal(one(lint(docs(...common, restore('  volumeRestorePolicy: PrefixTargetName\n')), { kubevirtVersion: 'v1.5.3' }), 'vm-restore-inflation').data?.restorePvc, 'restore-<uid>-tpm');
  // No policy, no overrides: the name is the same in every release, and the message does not change.
  const plain = one(lint(docs(...common, restore(''))), 'vm-restore-inflation');
  assert.equal(plain.data?.kubevirtVersion, undefined);
  assert.doesNotMatch(plain.message, /KubeVirt v/);
});

test('the fixture: a v1.7.4 cluster refuses PrefixTargetName, accepts volumeOwnershipPolicy', () => {
  const text = readFileSync('test/fixtures/kubevirtVersion/restore-policies.yaml', 'utf8');
  const found = only(lint(text), rule);
  assert.deepEqual(found.map((f) => [f.severity, textAt(text, f), f.data?.kubevirtVersion]), [['error', 'PrefixTargetName', 'v1.7.4']]);
});
