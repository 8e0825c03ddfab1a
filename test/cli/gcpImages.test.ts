// `kvstorage gcp-images detect|plan|apply|verify|undo` in-process against seeded platforms (CDI played by the
// test): detect in text and JSON (step, state, reason), the plan's YAML, a refused, a declined (asked by count) and a confirmed apply, a second
// apply with nothing to change, verify's exit status while pending and once verified, undo; advice needs --force;
// the generic `kvstorage apply gcp-images` is the same operation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CommandEnv } from '../../cli/command.js';
import { dispatch } from '../../cli/commands.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { cronsOf, emulatorStore, playCdi, type CdiPlayer } from '../gcpImages/cdiPlayer.js';
import { platforms, type PlatformName } from '../gcpImages/platforms.js';

interface Cli {
  emu: Emulator;
  objects: Record<string, unknown>[];
  cdi: CdiPlayer;
  dir: string;
  run(args: string[], o?: Partial<CommandEnv>): ReturnType<typeof dispatch>;
}

async function cli(name: PlatformName): Promise<Cli> {
  const p = platforms[name]();
  const emu = await startEmulator(p.emulator);
  for (const o of p.objects) emu.store.upsert(o);
  const dir = mkdtempSync(join(tmpdir(), 'kvs-cli-gcp-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, emu.kubeconfig({ contextName: name }));
  const env = (o: Partial<CommandEnv> = {}): CommandEnv => ({ cwd: process.cwd(), stdin: Readable.from([]), color: false, version: '0.0.0', env: {}, ...o });
  return { emu, dir, objects: p.objects, cdi: playCdi(emulatorStore(emu), { automatic: name === 'openshift422' }), run: (args, o) => dispatch([...args, '--kubeconfig', kubeconfig, '--journal-namespace', 'kvs-cli-journal'], env(o)) };
}

async function done(c: Cli | undefined): Promise<void> {
  if (!c) return;
  await c.cdi.stop();
  await c.emu.close();
  rmSync(c.dir, { recursive: true, force: true });
}

describe('kvstorage gcp-images on OpenShift 4.21', () => {
  let c: Cli | undefined;
  before(async () => {
    c = await cli('openshift421');
  });
  after(() => done(c));

  test('detect: text and JSON list the seven steps with their state and reason', async () => {
    const json = await c!.run(['gcp-images', 'detect', '--format', 'json']);
    assert.equal(json.exitCode, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { context: string; steps: { step: number; state: string; reason: string }[] };
    assert.equal(parsed.context, 'openshift421');
    assert.deepEqual(parsed.steps.map((s) => [s.step, s.state]), platforms.openshift421().expected.map((s, i) => [i + 1, s]));
    assert.ok(parsed.steps.every((s) => s.reason.length > 0));
    const text = await c!.run(['gcp-images', 'detect']);
    assert.equal(text.exitCode, 0);
    assert.match(text.stdout, /^GCP golden-image workaround on context openshift421:\n {2}1\. needed {6}A StorageClass for golden images: Golden images need/);
    assert.match(text.stdout, /\n {2}2\. done {8}The default VolumeSnapshotClass: csi-gce-pd-vsc is the default VolumeSnapshotClass/);
    assert.match(text.stdout, /\n5 steps to apply: kvstorage gcp-images plan, then apply\.\n$/);
  });

  test('plan prints the phases as YAML with the reasons; apply without --yes is refused; --dry-run lists the deletes', async () => {
    const plan = await c!.run(['gcp-images', 'plan']);
    assert.equal(plan.exitCode, 0, plan.stderr);
    assert.match(plan.stdout, /# Phase 1\/5 "Step 1: A StorageClass for golden images": Golden images need a ReadWriteOnce class/);
    assert.match(plan.stdout, /# Phase 4\/5 "Step 5: HyperConverged's dataImportCronTemplates"/);
    assert.match(plan.stdout, /delete every VolumeSnapshot in namespace openshift-virtualization-os-images selected by cdi\.kubevirt\.io\/dataImportCron in \(fedora-image-cron,rhel9-image-cron\)/);
    const refused = await c!.run(['gcp-images', 'apply']);
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /^kvstorage gcp-images apply: not applied: no terminal to ask on/);
    const dry = await c!.run(['gcp-images', 'apply', '--dry-run']);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.match(dry.stdout, /\n {2}delete +VolumeSnapshot openshift-virtualization-os-images\/fedora-12ab34cd56ef\n {2}delete +VolumeSnapshot openshift-virtualization-os-images\/rhel9-ab12cd34ef56\n/);
    assert.doesNotMatch(dry.stdout, /manual-backup|vm-cron-copy/);
  });

  test('apply on a terminal lists the golden-image snapshots, then asks for them by count; no is exit 1 and nothing changes', async () => {
    const questions: string[] = [];
    const shown: string[] = [];
    const declined = await c!.run(['gcp-images', 'apply'], { ask: async (q) => (questions.push(q), false), progress: (line) => shown.push(line) });
    assert.equal(declined.exitCode, 1, declined.stderr);
    assert.match(shown.join('\n'), /delete +VolumeSnapshot openshift-virtualization-os-images\/fedora-12ab34cd56ef\n {2}delete +VolumeSnapshot openshift-virtualization-os-images\/rhel9-ab12cd34ef56/);
    assert.deepEqual(questions, ['Apply to context openshift421/openshift-virtualization-os-images, deleting the 2 objects listed? [y/N] ']);
    assert.ok(c!.emu.store.get('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', 'openshift-virtualization-os-images', 'fedora-12ab34cd56ef'));
    assert.equal(c!.emu.store.get('storage.k8s.io/v1', 'StorageClass', undefined, 'cnv-images'), undefined);
  });

  test('apply --yes, then a second apply with nothing to change; verify exits 1 while pending and 0 once verified; undo', async () => {
    const applied = await c!.run(['gcp-images', 'apply', '--yes']);
    assert.equal(applied.exitCode, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /^ {2}delete  VolumeSnapshot openshift-virtualization-os-images\/fedora-12ab34cd56ef\n(.*\n)*Applied: 3 to create, 1 to update, 2 to delete\. Partly verified: CDI reports StorageProfile cnv-images's effective settings/m);
    const again = await c!.run(['apply', 'gcp-images', '--yes', '-f', 'json']);
    assert.equal(again.exitCode, 0);
    assert.equal((JSON.parse(again.stdout) as { outcome: string }).outcome, 'unchanged');
    const pending = await c!.run(['gcp-images', 'verify']);
    assert.equal(pending.exitCode, 1);
    assert.match(pending.stdout, /: pending \(run it again later\)\n {2}passed +StorageProfile: .*\n {2}pending +Golden-image snapshots/);
    await c!.cdi.reimport('openshift-virtualization-os-images', 'cnv-images', cronsOf(c!.objects, 'openshift-virtualization-os-images'));
    c!.emu.store.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: { name: 'vm2-rootdisk', namespace: 'vms' }, spec: { sourceRef: { kind: 'DataSource', name: 'rhel9', namespace: 'openshift-virtualization-os-images' } } });
    c!.emu.store.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'vm2-rootdisk', namespace: 'vms' }, spec: { storageClassName: 'sp-balanced-storage' } });
    const verified = await c!.run(['gcp-images', 'verify', '-f', 'json']);
    assert.equal(verified.exitCode, 0, verified.stdout);
    assert.equal((JSON.parse(verified.stdout) as { state: string }).state, 'verified');
    const undone = await c!.run(['gcp-images', 'undo', '--yes']);
    assert.equal(undone.exitCode, 0, undone.stdout + undone.stderr);
    assert.match(undone.stdout, /^Undone 1 run \(gcp-images-\S+\): /);
    assert.equal(c!.emu.store.get('storage.k8s.io/v1', 'StorageClass', undefined, 'cnv-images'), undefined);
  });

  test('usage: a bad --steps is exit 2 naming the values', async () => {
    const bad = await c!.run(['gcp-images', 'plan', '--steps', '9']);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /--steps takes step numbers 1-6/);
  });
});

describe('kvstorage gcp-images on OpenShift 4.22', () => {
  let c: Cli | undefined;
  before(async () => {
    c = await cli('openshift422');
  });
  after(() => done(c));

  test('nothing to apply; a step the platform does is advised against and needs --force', async () => {
    const text = await c!.run(['gcp-images', 'detect']);
    assert.match(text.stdout, /Nothing to apply\. Step 7: kvstorage gcp-images verify\.\n$/);
    const nothing = await c!.run(['gcp-images', 'apply', '--yes']);
    assert.equal(nothing.exitCode, 0, nothing.stderr);
    assert.match(nothing.stdout, /^Nothing to change/);
    const advised = await c!.run(['gcp-images', 'apply', '--steps', '6', '--yes']);
    assert.equal(advised.exitCode, 2);
    assert.match(advised.stderr, /not applied: The platform does this step itself: step 6: CDI v1\.65\.0 .* Use --force to apply anyway\./);
    const forced = await c!.run(['gcp-images', 'apply', '--steps', '6', '--yes', '--force']);
    assert.equal(forced.exitCode, 0, forced.stdout + forced.stderr);
    assert.equal(c!.emu.store.get('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', 'openshift-virtualization-os-images', 'fedora-12ab34cd56ef'), undefined);
  });
});
