/**
 * `kvstorage doctor` end to end: the built CLI (dist/cli.js) through the real cluster code against each test
 * target (the API emulator and the real API server of test/apiserver). Findings on the right resources in every
 * format, namespace scoping, exit codes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { ensureBuilt, runCliAsync } from '../cli/runCli.js';
import { assertGolden } from '../cli/golden.js';
import { junitErrors } from '../cli/junitSchema.js';
import { sarifErrors } from '../cli/sarifSchema.js';
import { describeTargets, emulatorOnly, type TestTarget, type User } from '../cluster/target.js';
import { clean as cleanObjects, problems } from './seed.js';

interface JsonFinding {
  resource: { apiVersion: string; kind: string; namespace?: string; name: string };
  rule: string;
  severity: string;
  message: string;
  data: Record<string, string>;
}

let tmp = '';
/** No KUBECONFIG and an empty HOME: only what a test names is read. */
let env: NodeJS.ProcessEnv;

before(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'kvstorage-doctor-'));
  env = { KUBECONFIG: '', HOME: tmp, NO_COLOR: '1' };
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function kubeconfigFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

const doctor = (...args: string[]) => runCliAsync(['doctor', ...args], { env });
const brief = (f: JsonFinding): string => `${f.rule} ${f.severity} ${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;

describeTargets('kvstorage doctor against a seeded cluster', (spec) => {
  let emu: TestTarget;
  let clean: TestTarget;
  /** The target's kubeconfig for `user`, context `emulator` (as the messages below quote) unless named. */
  const kc = (opts: { namespace?: string; contextName?: string; user?: User } = {}): string => emu.kubeconfigFile({ contextName: 'emulator', namespace: 'default', ...opts });

  before(async () => {
    emu = await spec.start();
    await emu.seed(...problems());
    clean = await spec.start({ withoutGroups: ['snapshot.storage.k8s.io', 'snapshot.kubevirt.io'] });
    await clean.seed(...cleanObjects());
  });

  after(async () => {
    await emu?.close();
    await clean?.close();
  });

  it('-A --format json: each problem on the right resource, exit 1', async () => {
    const file = kc({ namespace: 'vms' });
    const r = await doctor('--kubeconfig', file, '-A', '--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    assert.deepEqual(findings.map(brief), [
      'multiple-default-snapshot-classes error VolumeSnapshotClass trident-snap-a',
      'multiple-default-snapshot-classes error VolumeSnapshotClass trident-snap-b',
      'vm-restore-inflation error VirtualMachineSnapshot vms/vm-snap',
      'multiple-default-storage-classes warning StorageClass standard',
      'multiple-default-storage-classes warning StorageClass trident-nas',
      'storageprofile-incomplete warning StorageProfile standard',
      'snapshot-not-ready info VolumeSnapshot other/stuck',
      'snapshot-not-ready info VolumeSnapshot vms/pending',
    ]);
    const vm = findings.find((f) => f.rule === 'vm-restore-inflation')!;
    assert.deepEqual(vm.resource, { apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshot', namespace: 'vms', name: 'vm-snap' });
    // CDI v1.63.1 (from the cluster's CDI CR) multiplies by its default 1.06: ceil(10Mi × 1.06).
    assert.equal(vm.data.predictedBytes, '11114906');
    assert.equal(vm.data.restoreSizeBytes, String(10 * 1024 * 1024));
    assert.equal(vm.data.cdiVersion, 'v1.63.1', 'the version the cluster reports');
    assert.equal(vm.data.provisioner, 'csi.trident.netapp.io');
    assert.deepEqual(Object.keys(findings[0]!), ['resource', 'rule', 'severity', 'message', 'data']);
    assert.equal(findings[0]!.resource.namespace, undefined, 'cluster-scoped resources have no namespace');
  });

  it('--cdi-version 1.64.0 (CDI no longer inflates snapshot restores) and an empty strict list change the verdict', async () => {
    const file = kc({ namespace: 'vms' });
    const r = await doctor('--kubeconfig', file, '--format', 'json', '--cdi-version', '1.64.0');
    const rules = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.rule);
    assert.ok(!rules.includes('vm-restore-inflation'), rules.join(', '));
    const lax = await doctor('--kubeconfig', file, '--format', 'json', '--strict-provisioner=');
    const vm = (JSON.parse(lax.stdout) as { findings: JsonFinding[] }).findings.find((f) => f.rule === 'vm-restore-inflation');
    assert.equal(vm?.severity, 'warning', 'not a strict provisioner: a warning');
  });

  it('namespace scope: the context namespace by default, -n another; cluster-scoped checks always', async () => {
    const file = kc({ namespace: 'vms' });
    const byDefault = await doctor('--kubeconfig', file, '--format', 'json');
    const names = (r: { stdout: string }): string[] => (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.resource.namespace).map(brief);
    assert.deepEqual(names(byDefault), ['vm-restore-inflation error VirtualMachineSnapshot vms/vm-snap', 'snapshot-not-ready info VolumeSnapshot vms/pending']);
    const other = await doctor('--kubeconfig', file, '-n', 'other', '--format', 'json');
    assert.equal(other.status, 1, 'the default snapshot classes are still errors');
    assert.deepEqual(names(other), ['snapshot-not-ready info VolumeSnapshot other/stuck']);
    assert.ok(JSON.parse(other.stdout).findings.some((f: JsonFinding) => f.rule === 'storageprofile-incomplete'));
  });

  it('text: one line per finding naming kind and namespace/name, then a summary', async () => {
    const file = kc({ namespace: 'vms', contextName: 'lab' });
    const r = await doctor('--kubeconfig', file);
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines.find((l) => l.startsWith('VirtualMachineSnapshot '))!, /^VirtualMachineSnapshot vms\/vm-snap: error vm-restore-inflation: Restoring VirtualMachineSnapshot vms\/vm-snap: /);
    assert.ok(lines.includes(lines.find((l) => /^StorageProfile standard: warning storageprofile-incomplete: /.test(l))!));
    assert.ok(lines.some((l) => /^VolumeSnapshotClass trident-snap-b: error multiple-default-snapshot-classes: /.test(l)));
    assert.equal(lines.at(-2), '3 errors, 3 warnings, 1 info in context "lab", namespace "vms"');
    assert.equal(lines.at(-1), '1 more finding in other namespaces (1 info): run with -A');
  });

  it('text in one namespace counts the other namespaces\' findings (the -A hint); JSON does not', async () => {
    const file = kc({ namespace: 'vms', contextName: 'lab' });
    const other = await doctor('--kubeconfig', file, '-n', 'other');
    assert.equal(other.status, 1, other.stderr);
    assert.equal(other.stderr, '');
    const lines = other.stdout.trimEnd().split('\n');
    assert.ok(lines.some((l) => l.startsWith('VolumeSnapshot other/stuck: info snapshot-not-ready: ')), other.stdout);
    assert.ok(!lines.some((l) => l.includes(' vms/')), 'the other namespace is counted, not printed');
    assert.equal(lines.at(-2), '2 errors, 3 warnings, 1 info in context "lab", namespace "other"');
    assert.equal(lines.at(-1), '2 more findings in other namespaces (1 error, 1 info): run with -A');
    const all = await doctor('--kubeconfig', file, '-A');
    assert.doesNotMatch(all.stdout, /more findings? in other namespaces/);
    assert.doesNotMatch((await doctor('--kubeconfig', file, '-n', 'other', '--disable', 'vm-restore-inflation,snapshot-not-ready')).stdout, /other namespaces/, 'disabled checks are not counted');
  });

  it('no -A hint where listing across namespaces is forbidden (a count would be partial), and no word about it', async (t) => {
    if (emulatorOnly(t, emu, 'refuses one cluster-wide list with 403')) return;
    // VolumeSnapshots may be listed everywhere (vms/pending would count), VirtualMachineSnapshots not.
    emu.emulator!.faults.failNext({ method: 'GET', path: /^\/apis\/snapshot\.kubevirt\.io\/v1beta1\/virtualmachinesnapshots$/ }, 403);
    const r = await doctor('--kubeconfig', kc({ namespace: 'other', contextName: 'lab' }));
    emu.emulator!.faults.reset();
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '', 'a namespace scan promised no other namespaces');
    assert.match(r.stdout, /^VolumeSnapshot other\/stuck: info snapshot-not-ready: /m);
    assert.equal(r.stdout.trimEnd().split('\n').at(-1), '2 errors, 3 warnings, 1 info in context "lab", namespace "other"');
  });

  it('--fail-on, --disable and --format junit', async () => {
    const file = kc({ namespace: 'other' });
    const lax = await doctor('--kubeconfig', file, '-f', 'json', '--disable', 'multiple-default-snapshot-classes');
    assert.equal(lax.status, 0, 'only warnings and infos left');
    assert.ok(!(JSON.parse(lax.stdout) as { findings: JsonFinding[] }).findings.some((f) => f.rule === 'multiple-default-snapshot-classes'));
    assert.equal((await doctor('--kubeconfig', file, '--disable', 'multiple-default-snapshot-classes', '--fail-on', 'warning')).status, 1);
    // A disabled check does not read its resources: a forbidden VirtualMachineSnapshot list no longer matters
    // (the emulator refuses it; the API server has nothing to refuse).
    emu.emulator?.faults.failNext({ method: 'GET', path: /virtualmachinesnapshots$/ }, 403, 2);
    const without = await doctor('--kubeconfig', file, '-A', '-f', 'json', '--disable', 'vm-restore-inflation');
    emu.emulator?.faults.reset();
    assert.equal(without.status, 1, without.stderr);
    assert.equal(without.stderr, '');

    const junit = await doctor('--kubeconfig', file, '-A', '--format', 'junit');
    assert.equal(junit.status, 1, junit.stderr);
    assert.deepEqual(junitErrors(junit.stdout), []);
    assertGolden('doctor.junit.xml', junit.stdout);
  });

  it('sarif: valid SARIF 2.1.0 with the resource as a logical location', async () => {
    const file = kc({ namespace: 'vms' });
    const r = await doctor('--kubeconfig', file, '-A', '--format', 'sarif');
    assert.equal(r.status, 1);
    const log = JSON.parse(r.stdout) as {
      runs: { results: { ruleId: string; level: string; locations: { logicalLocations: { fullyQualifiedName: string; kind: string; index: number }[]; physicalLocation?: unknown }[] }[]; logicalLocations: { fullyQualifiedName: string }[] }[];
    };
    assert.deepEqual(sarifErrors(log), []);
    const run = log.runs[0]!;
    assert.equal(run.results.length, 8);
    const vm = run.results.find((x) => x.ruleId === 'vm-restore-inflation')!;
    assert.equal(vm.level, 'error');
    const loc = vm.locations[0]!;
    assert.equal(loc.physicalLocation, undefined);
    assert.equal(loc.logicalLocations[0]!.fullyQualifiedName, 'vms/VirtualMachineSnapshot/vm-snap');
    assert.equal(loc.logicalLocations[0]!.kind, 'resource');
    assert.equal(run.logicalLocations[loc.logicalLocations[0]!.index]!.fullyQualifiedName, 'vms/VirtualMachineSnapshot/vm-snap');
    const sc = run.results.find((x) => x.ruleId === 'storageprofile-incomplete')!;
    assert.equal(sc.locations[0]!.logicalLocations[0]!.fullyQualifiedName, 'StorageProfile/standard');
  });

  it('a resource it may not read: the findings still print, the skipped check is named, exit 2', async (t) => {
    if (emulatorOnly(t, emu, 'refuses one list with 403')) return;
    emu.emulator!.faults.failNext({ method: 'GET', path: /\/storageprofiles$/ }, 403);
    const r = await doctor('--kubeconfig', kc({ namespace: 'vms' }), '-A', '--format', 'json');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^kvstorage doctor: cannot read StorageProfiles \(cdi\.kubevirt\.io\): .*forbidden \(403\).*; skipped storageprofile-incomplete\n$/);
    const rules = new Set((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.rule));
    assert.deepEqual([...rules].sort(), ['multiple-default-snapshot-classes', 'multiple-default-storage-classes', 'snapshot-not-ready', 'vm-restore-inflation']);
  });

  it('groups not served: a note naming the skipped checks; a clean cluster exits 0', async () => {
    const r = await doctor('--kubeconfig', clean.kubeconfigFile({ contextName: 'emulator' }), '-A');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'no problems found in context "emulator", all namespaces\n');
    assert.match(r.stderr, /note: the cluster does not serve snapshot\.storage\.k8s\.io \(VolumeSnapshot, VolumeSnapshotClass\); skipped vm-restore-inflation, multiple-default-snapshot-classes, snapshot-not-ready/);
    assert.match(r.stderr, /note: the cluster does not serve snapshot\.kubevirt\.io .*; skipped vm-restore-inflation/);
  });

  it('rejected credentials (401): exit 2 with a clear message', async () => {
    const r = await doctor('--kubeconfig', kc({ user: 'bad' }));
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^kvstorage doctor: .*rejected the credentials \(401\)/);
  });

  it('a user who may read nothing (403): exit 2 with a clear message', async () => {
    const r = await doctor('--kubeconfig', kc({ user: 'forbidden' }), '-A');
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^kvstorage doctor: user "forbidden" may not read the storage resources of context "emulator" \(403\)/);
  });
}, { kinds: ['cluster'], why: 'the findings are exact, so the cluster must hold nothing but what the suite seeds' });

describe('kvstorage doctor: a cluster it cannot use exits 2 with a clear message', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  it('an unreachable server', async () => {
    const gone = await startEmulator({ https: false });
    const file = kubeconfigFile('gone.yaml', gone.kubeconfig());
    await gone.close();
    const r = await doctor('--kubeconfig', file, '--timeout', '5');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^kvstorage doctor: .*cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it('an unknown context, a missing kubeconfig, no kubeconfig at all', async () => {
    const file = kubeconfigFile('ctx.yaml', emu.kubeconfig());
    const badContext = await doctor('--kubeconfig', file, '--context', 'nope');
    assert.equal(badContext.status, 2);
    assert.match(badContext.stderr, /context "nope" is not in kubeconfig .*available: emulator/);
    const missing = await doctor('--kubeconfig', path.join(tmp, 'absent.yaml'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /kubeconfig .*absent\.yaml does not exist/);
    const none = await doctor();
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no kubeconfig: KUBECONFIG is not set/);
  });

  it('usage errors', async () => {
    for (const [args, pattern] of [
      [['-n', 'vms', '-A'], /exclude each other/],
      [['--format', 'xml'], /unknown format 'xml'/],
      [['--timeout', '0'], /invalid --timeout '0'/],
      [['manifests/'], /unexpected argument 'manifests\/'/],
    ] as const) {
      const r = await doctor(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, pattern);
      assert.match(r.stderr, /Run 'kvstorage doctor --help' for usage/);
    }
  });
});
