// CDI's size rendering per upstream release (kubevirt/containerized-data-importer tags v1.62.0, v1.63.0, v1.63.1,
// v1.64.0, v1.65.0, v1.66.0 and the release branches; facts §0): one table per release, one per boundary. The
// cases: KubeVirt's TPM restore PVC (20Mi from a VolumeSnapshot, labelled, Filesystem, on Trident), a 10Mi labelled
// PVC on a class whose StorageProfile says minimumSupportedPvcSize 4Gi, and the PVC webhook's switch.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CdiConfigFact, CdiVersionFact, Facts, FactSource, PvcWebhookFact, StorageClassFact } from '../../core/facts.js';
import { defaultSettings } from '../../core/types.js';
import type { PvcSpecInput } from '../../core/cdi/render.js';
import { renderDataVolumeStorage, renderPvc } from '../../core/cdi/render.js';
import { cdiBehaviour, parseCdiVersion, behaviourOf } from '../../core/cdi/version.js';

const Mi = 1024n * 1024n;
const Gi = 1024n * Mi;
const ws = (file: string): FactSource => ({ kind: 'workspace', file });
const sc = (name: string, extra: Partial<StorageClassFact> = {}): StorageClassFact => ({ name, isDefault: false, isDefaultVirt: false, parameters: {}, source: ws('sc.yaml'), ...extra });

function facts(p: { config?: CdiConfigFact; cr?: CdiVersionFact; live?: PvcWebhookFact } = {}): Facts {
  const classes = [sc('trident-nas', { provisioner: 'csi.trident.netapp.io' }), sc('hyperdisk', { provisioner: 'pd.csi.storage.gke.io' })];
  return {
    volumeSnapshot: () => undefined,
    storageClass: (n) => classes.find((c) => c.name === n),
    storageClasses: () => classes,
    storageProfile: (n) =>
      n === 'hyperdisk'
        ? { name: n, claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }], claimPropertySetsFrom: 'status', minimumSupportedPvcSizeBytes: 4n * Gi, minimumSupportedPvcSizeText: '4Gi', source: ws('sp.yaml') }
        : undefined,
    cdiConfig: () => p.config,
    cdiVersion: () => p.cr,
    ...(p.live ? { pvcWebhook: () => p.live } : {}),
  };
}

const label = { 'cdi.kubevirt.io/applyStorageProfile': 'true' };
const snap = { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'vmsnapshot-tpm' };
const tpmRestore: PvcSpecInput = { namespace: 'vms', labels: label, annotations: {}, storageClassName: 'trident-nas', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', requestBytes: 20n * Mi, dataSource: snap, dataSourceRef: snap };
const tenMi: PvcSpecInput = { namespace: 'vms', labels: label, annotations: {}, storageClassName: 'hyperdisk', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', requestBytes: 10n * Mi };
const gateOn: CdiConfigFact = { storageClassOverhead: {}, spec: { featureGates: ['WebhookPvcRendering'] }, source: ws('cdiconfig.yaml') };
const gateOff: CdiConfigFact = { storageClassOverhead: {}, spec: { featureGates: ['HonorWaitForFirstConsumer'] }, source: ws('cdiconfig.yaml') };

const at = (version: string, input: PvcSpecInput, f: Facts = facts({ config: gateOn })) => renderPvc(input, f, { ...defaultSettings, cdiVersion: version });
const behaviour = (v: string) => {
  const p = parseCdiVersion(v);
  assert.ok(p.ok);
  return behaviourOf(p);
};

interface Row {
  version: string;
  formula: 'divide' | 'multiply';
  defaultOverhead: string;
  /** The TPM restore's rendered request (undefined: left alone). */
  restore: bigint | undefined;
  /** The 10Mi PVC on the 4Gi-minimum class. */
  tenMi: bigint;
  switch: 'feature-gate' | 'policy';
}

function table(rows: Row[]): void {
  for (const row of rows) {
    test(`${row.version}: ${row.formula}, default ${row.defaultOverhead}, restore → ${row.restore ?? 'left alone'}, 10Mi → ${row.tenMi}`, () => {
      const b = behaviour(row.version);
      assert.deepEqual([b.formula, b.defaultOverhead, b.webhookSwitch, b.uncertain], [row.formula, row.defaultOverhead, row.switch, []]);
      assert.equal(at(row.version, tpmRestore).renderedBytes, row.restore);
      const ten = at(row.version, tenMi);
      assert.equal(ten.renderedBytes, row.tenMi);
      assert.equal(ten.minimumApplied, row.tenMi === 4n * Gi);
    });
  }
}

describe('v1.62.0: divide, 0.055, no StorageProfile minimum, snapshot restores inflated', () => {
  table([{ version: 'v1.62.0', formula: 'divide', defaultOverhead: '0.055', restore: 22192085n, tenMi: 11096043n, switch: 'feature-gate' }]);
  test('the minimum is named among the facts, as ignored', () => {
    assert.ok(at('v1.62.0', tenMi).factsUsed.some((f) => f.includes('minimumSupportedPvcSize 4Gi (sp.yaml), which CDI v1.62.0 ignores')));
  });
});

describe('v1.63.0: multiply, 0.06 (backported before the tag), the minimum inline', () => {
  table([{ version: 'v1.63.0', formula: 'multiply', defaultOverhead: '0.06', restore: 22229812n, tenMi: 4n * Gi, switch: 'feature-gate' }]);
});

describe('v1.63.1: as v1.63.0 (the issue: 22,229,812 bytes for a 20Mi TPM restore without a CDIConfig)', () => {
  table([{ version: 'v1.63.1', formula: 'multiply', defaultOverhead: '0.06', restore: 22229812n, tenMi: 4n * Gi, switch: 'feature-gate' }]);
});

describe('v1.64+: snapshot restores left alone, GetEffectiveVolumeSize', () => {
  table([
    { version: 'v1.64.0', formula: 'multiply', defaultOverhead: '0.06', restore: undefined, tenMi: 4n * Gi, switch: 'feature-gate' },
    { version: 'v1.65.0', formula: 'multiply', defaultOverhead: '0.06', restore: undefined, tenMi: 4n * Gi, switch: 'feature-gate' },
  ]);
});

describe('v1.66: the webhook is on unless CDIConfig spec.webhookPvcRendering is Disabled', () => {
  table([{ version: 'v1.66.0', formula: 'multiply', defaultOverhead: '0.06', restore: undefined, tenMi: 4n * Gi, switch: 'policy' }]);
  test('Disabled turns it off; an unset policy or no CDIConfig leaves it on; the gate no longer matters', () => {
    const disabled: CdiConfigFact = { storageClassOverhead: {}, spec: { featureGates: [], webhookPvcRendering: 'Disabled' }, source: ws('cdiconfig.yaml') };
    const off = at('v1.66.0', tenMi, facts({ config: disabled }));
    assert.deepEqual([off.webhookApplies, off.renderedBytes, off.webhook.basis], [false, undefined, 'config']);
    assert.match(off.webhook.describe, /webhookPvcRendering: Disabled in CDIConfig spec \(cdiconfig\.yaml\)/);
    assert.equal(at('v1.66.0', tenMi, facts({ config: gateOff })).webhookApplies, true);
    const none = at('v1.66.0', tenMi, facts());
    assert.deepEqual([none.webhookApplies, none.webhook.basis], [true, 'version']);
  });
});

describe('boundaries', () => {
  test('v1.58 | v1.59: before v1.59 there is no PVC webhook at all', () => {
    assert.equal(at('v1.58.0', tenMi).webhookApplies, false);
    assert.equal(at('v1.59.0', tenMi).webhookApplies, true);
  });

  test('v1.62.0 | v1.62.1: a patch newer than the last tag is modelled as the branch head, its backports uncertain', () => {
    assert.deepEqual(behaviour('v1.62.0').uncertain, []);
    const b = behaviour('v1.62.1');
    assert.deepEqual([b.formula, b.defaultOverhead, b.appliesMinimumSize, b.skipsSnapshotSources, b.snapshotSkipUncertain], ['multiply', '0.06', true, false, true]);
    assert.equal(b.uncertain.length, 5);
    assert.match(b.uncertain.join('\n'), /#3725, 2025-05-05.*\n.*#3724, 2025-05-06.*\n.*#3858, 2025-08-06.*\n.*#3955, 2025-12-01.*\n.*#3982, 2025-12-11/);
    const r = at('v1.62.1', tpmRestore);
    assert.equal(r.renderedBytes, 22229812n);
    assert.ok(r.uncertain.some((u) => u.includes('a VolumeSnapshot restore is inflated only if')));
  });

  test('v1.62 | v1.63.0: divide → multiply, 0.055 → 0.06, and the StorageProfile minimum arrives', () => {
    assert.deepEqual([at('v1.62.0', tpmRestore).renderedBytes, at('v1.63.0', tpmRestore).renderedBytes], [22192085n, 22229812n]);
    assert.deepEqual([at('v1.62.0', tenMi).renderedBytes, at('v1.63.0', tenMi).renderedBytes], [11096043n, 4n * Gi]);
  });

  test('v1.63.1 | v1.63.2: a later v1.63 patch may carry #3978: it "may" inflate, and says why', () => {
    const r = at('v1.63.2', tpmRestore);
    assert.equal(r.renderedBytes, 22229812n);
    assert.equal(r.cdi.behaviour.version, 'v1.63.2 (newer than v1.63.1, the newest tag known)');
    assert.ok(r.uncertain.some((u) => u.includes('#3978, 2025-12-11')));
    assert.deepEqual(at('v1.63.1', tpmRestore).uncertain, []);
    assert.equal(behaviour('v1.63.1-4-g51acb32').snapshotSkipUncertain, true, 'git describe: commits after the tag');
    // #3852's clone-validation minimum: v1.64.0 on main, release-v1.63 as #3954 after v1.63.1.
    assert.deepEqual([behaviour('v1.63.1').cloneValidationAppliesMinimum, behaviour('v1.64.0').cloneValidationAppliesMinimum], [false, true]);
    assert.equal(behaviour('v1.63.2').cloneValidationAppliesMinimum, true);
    assert.ok(behaviour('v1.63.2').uncertain.some((u) => u.includes('#3954, 2025-11-20')));
  });

  test('v1.61.5 | v1.61.6 and v1.60.5 | v1.60.6: older lines carry backports too (v1.60 the formula and the exact modes)', () => {
    assert.deepEqual(behaviour('v1.61.5').uncertain, []);
    assert.equal(behaviour('v1.61.6').snapshotSkipUncertain, true);
    const b = behaviour('v1.60.6');
    assert.deepEqual([b.formula, b.appliesMinimumSize, b.snapshotSkipUncertain, b.uncertain.length], ['multiply', false, false, 2]);
  });

  test('v1.63 | v1.64.0: snapshot restores are left alone; other PVCs are still inflated', () => {
    assert.equal(at('v1.63.1', tpmRestore).renderedBytes, 22229812n);
    const r = at('v1.64.0', tpmRestore);
    assert.deepEqual([r.renderedBytes, r.sizeNote], [undefined, 'VolumeSnapshot source (CDI >= v1.64 skips)']);
    assert.equal(at('v1.64.0', { ...tpmRestore, dataSource: undefined, dataSourceRef: undefined }).renderedBytes, 22229812n);
  });

  test('v1.65 | v1.66: a sizeless Block-source snapshot restore to Filesystem is inflated (#4107); v1.64/v1.65 patches after their tags may be', () => {
    assert.deepEqual([behaviour('v1.65.0').sizelessCloneInflatesBlockSource, behaviour('v1.66.0').sizelessCloneInflatesBlockSource], [false, true]);
    assert.deepEqual([behaviour('v1.64.0').uncertain, behaviour('v1.65.0').uncertain], [[], []]);
    assert.match(behaviour('v1.64.1').uncertain.join('\n'), /#4130, 2026-05-15/);
    assert.equal(behaviour('v1.65.0-3-gabcdef0').sizelessCloneInflatesBlockSource, true);
  });

  test('v1.65 | v1.66: from the feature gate to the policy', () => {
    assert.equal(at('v1.65.0', tenMi, facts({ config: gateOff })).webhookApplies, false);
    assert.equal(at('v1.66.0', tenMi, facts({ config: gateOff })).webhookApplies, true);
  });
});

describe('the WebhookPvcRendering gate before v1.66', () => {
  test('off in CDIConfig spec.featureGates: no webhook, nothing inflated (the issue: no inflation error)', () => {
    const r = at('v1.63.1', tpmRestore, facts({ config: gateOff }));
    assert.deepEqual([r.webhookApplies, r.renderedBytes, r.webhook.basis], [false, undefined, 'config']);
    assert.match(r.webhook.describe, /feature gate WebhookPvcRendering off in CDIConfig spec \(cdiconfig\.yaml\)/);
  });

  test("from the CDI CR's spec.config.featureGates when no CDIConfig spec is known", () => {
    const cr = (gates: string[]): CdiVersionFact => ({ config: { featureGates: gates }, source: ws('cdi.yaml') });
    assert.equal(at('v1.63.1', tpmRestore, facts({ cr: cr([]) })).webhookApplies, false);
    const on = at('v1.63.1', tpmRestore, facts({ cr: cr(['WebhookPvcRendering']) }));
    assert.equal(on.webhookApplies, true);
    assert.match(on.webhook.describe, /in the CDI CR's spec\.config \(cdi\.yaml\)/);
  });

  test('nothing says: assumed on, and the message says so', () => {
    const r = at('v1.63.1', tpmRestore, facts());
    assert.deepEqual([r.webhookApplies, r.webhook.basis], [true, 'assumed']);
    assert.match(r.webhook.describe, /assumed on/);
  });
});

describe('the live cdi-api-pvc-mutate configuration is the ground truth', () => {
  const live = (p: Partial<PvcWebhookFact>): PvcWebhookFact => ({ present: true, webhooks: [], source: { kind: 'cluster', context: 'prod' }, ...p });
  const cdiWebhook = { name: 'pvc-mutate.cdi.kubevirt.io', matchesPvcCreate: true, objectSelector: { matchLabels: label, matchExpressions: [] }, namespaceSelector: { matchLabels: {}, matchExpressions: [] } };

  test('absent: not rendered, whatever the gate says', () => {
    const r = at('v1.63.1', tpmRestore, facts({ config: gateOn, live: live({ present: false }) }));
    assert.deepEqual([r.webhookApplies, r.webhook.basis], [false, 'live']);
    assert.match(r.webhook.describe, /no cdi-api-pvc-mutate MutatingWebhookConfiguration on the cluster prod/);
  });

  test('present and selecting: rendered, even with the gate off in a stale file', () => {
    const r = at('v1.63.1', tpmRestore, facts({ config: gateOff, live: live({ webhooks: [cdiWebhook] }) }));
    assert.deepEqual([r.webhookApplies, r.renderedBytes], [true, 22229812n]);
  });

  test('a namespaceSelector that excludes the namespace, or one that needs unknown labels', () => {
    const notVms = { ...cdiWebhook, namespaceSelector: { matchLabels: {}, matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['vms'] }] } };
    assert.equal(at('v1.63.1', tpmRestore, facts({ live: live({ webhooks: [notVms] }) })).webhookApplies, false);
    const labelled = { ...cdiWebhook, namespaceSelector: { matchLabels: { team: 'a' }, matchExpressions: [] } };
    const r = at('v1.63.1', tpmRestore, facts({ live: live({ webhooks: [labelled] }) }));
    assert.equal(r.webhookApplies, true);
    assert.match(r.webhook.describe, /taken to match/);
  });

  test('a webhook whose rules do not cover PVC creation does not count', () => {
    assert.equal(at('v1.63.1', tpmRestore, facts({ live: live({ webhooks: [{ ...cdiWebhook, matchesPvcCreate: false }] }) })).webhookApplies, false);
  });
});

test('cdiBehaviour past v1 is the newest release; before v1 the oldest', () => {
  assert.equal(cdiBehaviour(2, 0).webhookSwitch, 'policy');
  assert.equal(cdiBehaviour(0, 99).formula, 'divide');
  assert.equal(cdiBehaviour(0, 99).webhookSwitch, 'none');
});

// Upstream case table: pkg/controller/datavolume/util_test.go "Rendering pvcSpec based on storageProfile should"
// (added by #3709 in v1.63.0): a DataVolume spec.storage of 1Gi on testSC, whose StorageProfile has one set
// {ReadWriteOnce, Block}. v1.62.0 runs the code before #3709 (getDefaultAccessModes / getDefaultVolumeMode of
// pkg/controller/datavolume/util.go@v1.62.0), which falls back to the first set where v1.63.0 finds no match.
describe('StorageProfile defaulting of spec.storage per release (#3709)', () => {
  const f: Facts = {
    volumeSnapshot: () => undefined,
    storageClass: (n) => (n === 'testSC' ? sc('testSC') : undefined),
    storageClasses: () => [sc('testSC')],
    storageProfile: (n) => (n === 'testSC' ? { name: n, claimPropertySets: [{ accessModes: ['ReadWriteOnce'], volumeMode: 'Block' }], claimPropertySetsFrom: 'status', source: ws('sp.yaml') } : undefined),
    cdiConfig: () => undefined,
    cdiVersion: () => undefined,
  };
  const storage = (volumeMode?: string, accessMode?: string): PvcSpecInput => ({
    namespace: 'default', labels: {}, annotations: {}, storageClassName: 'testSC', requestBytes: Gi,
    ...(volumeMode === undefined ? {} : { volumeMode }), ...(accessMode === undefined ? {} : { accessModes: [accessMode] }),
  });
  // [entry, volumeMode given, accessMode given, v1.63.0+ result, v1.62.0 result]; a result is [volumeMode or undefined (empty), accessModes] or a denial.
  type Out = [string | undefined, string[]] | string;
  const rows: [string, string | undefined, string | undefined, Out, Out][] = [
    ['set default volumeMode and accessMode if not passed', undefined, undefined, ['Block', ['ReadWriteOnce']], ['Block', ['ReadWriteOnce']]],
    ['set a matching accessMode for the volumeMode', 'Block', undefined, ['Block', ['ReadWriteOnce']], ['Block', ['ReadWriteOnce']]],
    ['set a matching volumeMode for the accessMode', undefined, 'ReadWriteOnce', ['Block', ['ReadWriteOnce']], ['Block', ['ReadWriteOnce']]],
    ['fail when volumeMode has no matching accessMode', 'Filesystem', undefined, 'no matching accessMode specified in StorageProfile testSC', ['Filesystem', ['ReadWriteOnce']]],
    ['fallback to k8s default when accessMode has no matching volumeMode', undefined, 'ReadWriteMany', [undefined, ['ReadWriteMany']], ['Block', ['ReadWriteMany']]],
    ['use the passed volumeMode and accessMode even if not in storageProfile', 'Filesystem', 'ReadWriteMany', ['Filesystem', ['ReadWriteMany']], ['Filesystem', ['ReadWriteMany']]],
  ];
  const outcome = (version: string, input: PvcSpecInput): Out => {
    const r = renderDataVolumeStorage(input, f, { ...defaultSettings, cdiVersion: version }, { webhookPvcRendering: false });
    if (r.denials.length > 0) return r.denials.join('; ');
    return [r.volumeModeFrom === 'default' ? undefined : r.volumeMode, r.accessModes];
  };
  for (const [entry, vm, am, now, before] of rows) {
    test(`${entry}: v1.63.0+ ${JSON.stringify(now)}, v1.62.0 ${JSON.stringify(before)}`, () => {
      for (const v of ['v1.63.0', 'v1.64.0', 'v1.66.0']) assert.deepEqual(outcome(v, storage(vm, am)), now, v);
      for (const v of ['v1.62.0', 'v1.61.5', 'v1.59.2']) assert.deepEqual(outcome(v, storage(vm, am)), before, v);
    });
  }
  test('a later patch of v1.59–v1.62 may carry the backport: modelled as the branch head, and said', () => {
    for (const [v, pr] of [['v1.62.1', '#3725'], ['v1.61.6', '#3727'], ['v1.60.6', '#3732'], ['v1.59.3', '#3733']] as const) {
      const b = behaviour(v);
      assert.equal(b.profileModeFallback, false, v);
      assert.ok(b.uncertain.some((u) => u.includes(`no fall back to the first set) (backported to release-v1.${v.split('.')[1]} as ${pr}`)), v);
    }
    assert.deepEqual(behaviour('v1.59.2').uncertain, []);
  });
});
