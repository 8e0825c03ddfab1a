// `kvstorage plan|apply|undo|status <operation>` in-process against the API emulator (the deployment
// controller played by the test): the plan prints the manifests; apply refuses without a terminal or --yes,
// respects advice unless --force, dry-runs with --dry-run, applies and verifies with --yes, says so when there
// is nothing to change; status lists the runs; undo reverses them; usage errors name the operation's options.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CommandEnv } from '../../cli/command.js';
import { dispatch } from '../../cli/commands.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { playDeploymentController } from '../webhook/helpers.js';

const NS = 'kvs-cli';
const NAME = 'kubevirt-storage-restore-size';

describe('kvstorage operations', () => {
  let emu: Emulator;
  let dir: string;
  let kubeconfig: string;
  let controller: { stop(): void };
  const progress: string[] = [];
  const env = (o: Partial<CommandEnv> = {}): CommandEnv => ({ cwd: process.cwd(), stdin: Readable.from([]), color: false, version: '0.0.0', env: {}, progress: (l) => progress.push(l), ...o });
  const run = (args: string[], o: Partial<CommandEnv> = {}) => dispatch([...args, '--kubeconfig', kubeconfig, '--journal-namespace', 'kvs-cli-journal'], env(o));

  before(async () => {
    emu = await startEmulator({ withoutGroups: ['cert-manager.io', 'cdi.kubevirt.io'] });
    dir = mkdtempSync(join(tmpdir(), 'kvs-cli-ops-'));
    kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, emu.kubeconfig({ contextName: 'lab' }));
    controller = playDeploymentController(emu, NS, NAME);
  });
  after(async () => {
    controller.stop();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('plan prints the exact manifests with the reasons as comments, and changes nothing', async () => {
    const r = await run(['plan', 'webhook', '--namespace', NS]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^# Deploy the restore-size webhook to namespace kvs-cli \(self-signed TLS\)\n# Target: context lab /);
    assert.match(r.stdout, /# Phase 1\/5 "Namespace": Namespace kvs-cli does not exist/);
    assert.match(r.stdout, /kind: MutatingWebhookConfiguration/);
    assert.doesNotMatch(r.stdout, /BEGIN PRIVATE KEY|LS0tLS1CRUdJTiBQUklWQVRF/);
    assert.equal(emu.store.get('v1', 'Namespace', undefined, NS), undefined);
    const json = await run(['plan', 'webhook', '--namespace', NS, '-f', 'json']);
    const parsed = JSON.parse(json.stdout) as { operation: string; phases: { id: string }[]; deletes: string[] };
    assert.deepEqual([parsed.operation, parsed.phases.map((p) => p.id), parsed.deletes], ['webhook', ['namespace', 'access', 'tls', 'workload', 'configuration'], []]);
  });

  test('apply: refused without a terminal or --yes; advice needs --force; --dry-run changes nothing', async () => {
    const refused = await run(['apply', 'webhook', '--namespace', NS]);
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /not applied: no terminal to ask on; rerun with --yes to apply\./);
    const declined = await run(['apply', 'webhook', '--namespace', NS], { ask: async () => false });
    assert.deepEqual([declined.exitCode, declined.stderr], [1, 'kvstorage apply webhook: not applied.\n']);
    const dry = await run(['apply', 'webhook', '--namespace', NS, '--dry-run']);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.match(dry.stdout, /^ {2}create +Namespace kvs-cli\n/m);
    assert.match(dry.stdout, /\(dry-run once its namespace exists\)/);
    assert.equal(emu.store.get('v1', 'Namespace', undefined, NS), undefined);
    assert.equal(emu.store.list('v1', 'ConfigMap', 'kvs-cli-journal').length, 0);
  });

  test('apply --yes: applied (verification skipped: no VolumeSnapshot to verify with), progress on stderr; a second apply changes nothing', async () => {
    progress.length = 0;
    const r = await run(['apply', 'webhook', '--namespace', NS, '--yes']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Deploy the restore-size webhook to namespace kvs-cli \(self-signed TLS\) \(context lab\)\n  create  Namespace kvs-cli\n/);
    assert.match(r.stdout, /\nApplied: 9 to create\. Verification skipped: no ready VolumeSnapshot/);
    assert.match(r.stdout, /\nrun webhook-[0-9a-z-]+; undo journal ConfigMap kvs-cli-journal\/kvstorage-webhook-[0-9a-z-]+ \(kvstorage undo webhook\)\n$/);
    assert.ok(progress.some((l) => l.startsWith('apply: ')) && progress.some((l) => l.startsWith('wait: ')), progress.join('\n'));
    assert.ok(emu.store.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, NAME));
    const again = await run(['apply', 'webhook', '--namespace', NS, '--yes', '-f', 'json']);
    assert.equal(again.exitCode, 0);
    assert.equal((JSON.parse(again.stdout) as { outcome: string }).outcome, 'unchanged');
  });

  test('status names the deployment and lists the run; undo removes everything; undo again has nothing to do', async () => {
    const s = await run(['status', 'webhook']);
    assert.equal(s.exitCode, 0, s.stderr);
    assert.match(s.stdout, /^Restore-size webhook in namespace kvs-cli: 2\/2 replicas ready/);
    assert.match(s.stdout, /\n {2}webhook-\S+ +applied/);
    const preview = await run(['undo', 'webhook', '--dry-run']);
    assert.equal(preview.exitCode, 0);
    assert.match(preview.stdout, /^run webhook-\S+ \(Deploy the restore-size webhook to namespace kvs-cli \(self-signed TLS\); applied, started .*\):\n {2}delete +MutatingWebhookConfiguration kubevirt-storage-restore-size: created by this run/);
    const u = await run(['undo', 'webhook', '--yes']);
    assert.equal(u.exitCode, 0, u.stdout + u.stderr);
    assert.match(u.stdout, /^Undone 1 run \(webhook-\S+\): MutatingWebhookConfiguration kubevirt-storage-restore-size, /);
    assert.equal(emu.store.get('v1', 'Namespace', undefined, NS), undefined);
    const nothing = await run(['undo', 'webhook', '--yes']);
    assert.deepEqual([nothing.exitCode, nothing.stdout], [0, 'Nothing to undo: no run has changes standing.\n']);
  });

  test('usage: an unknown operation, a bad option value, an option another operation has', async () => {
    const unknown = await run(['apply', 'nope']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /unknown command 'nope' \(commands: webhook, webhook-uninstall, webhook-rotate, gcp-images, create-pvc, volumeresize-start, volumeresize-rollback, volumeresize-delete\)/);
    const bad = await run(['plan', 'webhook', '--replicas', 'two']);
    assert.deepEqual([bad.exitCode, bad.stderr.split('\n')[0]], [2, 'kvstorage plan webhook: --replicas takes a whole number, not "two"']);
    const tls = await run(['plan', 'webhook', '--tls', 'acme']);
    assert.match(tls.stderr, /--tls must be one of openshift-service-ca, cert-manager, self-signed, not "acme"/);
    const other = await run(['plan', 'webhook-uninstall', '--tls', 'self-signed']);
    assert.match(other.stderr, /unknown option '--tls'/);
  });

  test('no cluster: the kubeconfig named does not exist, exit 2', async () => {
    const r = await dispatch(['status', 'webhook', '--kubeconfig', join(dir, 'missing')], env());
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /^kvstorage status webhook: kubeconfig .*missing does not exist/);
  });
});
