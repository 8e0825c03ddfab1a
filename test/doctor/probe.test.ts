/**
 * `kvstorage doctor --probe` end to end: the built CLI against the API emulator with a CDI-like PVC webhook behind
 * `cdi-api-pvc-mutate` (reached through real HTTPS admission, called on the dry run since its sideEffects are
 * None). The webhook inflates by an overhead the model does not know (the cluster's CDIConfig is not readable
 * here), so the doctor's prediction and the emulator's render differ: the report gives the emulator's figure.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { requiredSpace } from '../../core/cdi/size.js';
import { parseQuantity } from '../../core/quantity.js';
import { cdiPvcMutate, storageOf } from '../emulator/admissionFixtures.js';
import { startWebhook, type TestWebhook } from '../emulator/helpers.js';
import { createCa, startEmulator, type Emulator } from '../emulator/index.js';
import { ensureBuilt, runCliAsync } from '../cli/runCli.js';
import { problems } from './seed.js';

interface JsonFinding {
  resource: { kind: string; namespace?: string; name: string };
  rule: string;
  severity: string;
  message: string;
  data: Record<string, string>;
}

let emu: Emulator;
let cdi: TestWebhook;
let tmp = '';
let env: NodeJS.ProcessEnv;
/** The overhead the CDI-like webhook inflates with (the model's default is 0.06). */
let overhead = '0.1';

const doctor = (...args: string[]) => runCliAsync(['doctor', ...args], { env });
const kubeconfig = (name: string, user?: 'admin' | 'readonly'): string => {
  const file = path.join(tmp, name);
  writeFileSync(file, emu.kubeconfig({ namespace: 'vms', ...(user ? { user } : {}) }));
  return file;
};
const findingsOf = (stdout: string): JsonFinding[] => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

/** CDI v1.63's size step (RenderPvc → renderPvcSpecVolumeSize, multiply) at `overhead`, for a labelled Filesystem PVC. */
function inflate(storage: string | undefined): string | undefined {
  const q = storage === undefined ? undefined : parseQuantity(storage);
  if (!q?.ok) return undefined;
  const r = requiredSpace(q.quantity.bytes, overhead, 'multiply');
  return r.ok ? String(r.bytes) : undefined;
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'kvstorage-probe-'));
  env = { KUBECONFIG: '', HOME: tmp, NO_COLOR: '1' };
  emu = await startEmulator();
  for (const o of problems()) emu.store.create(o);
  const ca = await createCa('probe-test-ca');
  cdi = await startWebhook(ca, ['cdi-api.cdi.svc'], (r) => {
    const inflated = r.object?.spec?.volumeMode === 'Block' ? undefined : inflate(storageOf(r.object));
    return inflated ? { patch: [{ op: 'replace', path: '/spec/resources/requests/storage', value: inflated }] } : {};
  });
  emu.services.register('cdi', 'cdi-api', 443, cdi.url);
  emu.store.upsert(cdiPvcMutate(cdi.caBundle));
});

beforeEach(() => {
  overhead = '0.1';
  emu.webhookCalls.length = 0;
});

after(async () => {
  await cdi?.close();
  await emu?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('kvstorage doctor --probe', () => {
  it("reports the emulator's actual render: prediction-mismatch with both figures, and vm-restore-inflation on the cluster's figure", async () => {
    const r = await doctor('--kubeconfig', kubeconfig('admin.yaml'), '-A', '--probe', '--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /--probe: 1 of 1 dry run answered/);
    const findings = findingsOf(r.stdout);
    const mismatch = findings.find((f) => f.rule === 'prediction-mismatch');
    assert.ok(mismatch, JSON.stringify(findings.map((f) => f.rule)));
    // ceil(10Mi × 1.1) from the webhook, ceil(10Mi × 1.06) from the model (CDI v1.63.1's default; no CDIConfig status).
    assert.deepEqual([mismatch.data.requestCluster, mismatch.data.requestPredicted], ['11534336 bytes', '11114906 bytes']);
    assert.deepEqual([mismatch.severity, mismatch.resource.kind, mismatch.resource.namespace, mismatch.resource.name], ['warning', 'VirtualMachineSnapshot', 'vms', 'vm-snap']);
    assert.match(mismatch.message, /^the API server's dry run on the cluster emulator of restore PVC vms\/restore-<uid>-persistent-state-for-vm1 .*request: the cluster 11534336 bytes, the model 11114906 bytes/);
    const vm = findings.find((f) => f.rule === 'vm-restore-inflation')!;
    assert.deepEqual([vm.data.predictedBytes, vm.data.basis], ['11534336', 'live'], "the diagnostic uses the cluster's answer");
    assert.match(vm.message, /from 10,485,760 to 11,534,336 bytes/);
    assert.match(vm.message, /The API server's dry run on the cluster emulator of .* stored 11,534,336 bytes for this request\./);
    // The webhook saw the dry run, and nothing was kept.
    assert.ok(emu.webhookCalls.some((c) => c.configuration === 'cdi-api-pvc-mutate' && c.dryRun && c.outcome === 'patched'), JSON.stringify(emu.webhookCalls));
    assert.deepEqual(emu.store.list('v1', 'PersistentVolumeClaim'), []);
  });

  it('a cluster that renders what the model predicts: no prediction-mismatch, the figure confirmed', async () => {
    overhead = '0.06';
    const r = await doctor('--kubeconfig', kubeconfig('admin.yaml'), '-A', '--probe', '--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    const findings = findingsOf(r.stdout);
    assert.deepEqual(findings.filter((f) => f.rule === 'prediction-mismatch'), []);
    const vm = findings.find((f) => f.rule === 'vm-restore-inflation')!;
    assert.deepEqual([vm.data.predictedBytes, vm.data.basis], ['11114906', 'live']);
  });

  it('without --probe nothing is sent', async () => {
    const r = await doctor('--kubeconfig', kubeconfig('admin.yaml'), '-A', '--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(emu.webhookCalls, []);
    assert.ok(!findingsOf(r.stdout).some((f) => f.rule === 'prediction-mismatch'));
  });

  it('says plainly when the user may not create PVCs, and exits 2 (the check did not run)', async () => {
    const r = await doctor('--kubeconfig', kubeconfig('readonly.yaml', 'readonly'), '-A', '--probe', '--format', 'json');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--probe: user "readonly" may not create PersistentVolumeClaims in namespace "vms", which a dry run needs \(nothing is stored, but the API server checks the permission\)/);
    // The other findings are still there, on the model's figures.
    const vm = findingsOf(r.stdout).find((f) => f.rule === 'vm-restore-inflation')!;
    assert.deepEqual([vm.data.predictedBytes, vm.data.basis], ['11114906', 'model']);
  });

  it('a denial by the webhook is the cluster\'s answer too', async () => {
    const denied = await startWebhook(await createCa('deny-ca'), ['cdi-api.cdi.svc'], () => ({ allowed: false, status: { code: 400, message: 'PVC Spec is not valid - missing storage size' } }));
    emu.services.register('cdi', 'cdi-api', 443, denied.url);
    emu.store.upsert(cdiPvcMutate(denied.caBundle));
    try {
      const r = await doctor('--kubeconfig', kubeconfig('admin.yaml'), '-A', '--probe', '--format', 'json');
      assert.match(r.stderr, /1 refused by admission/);
      const mismatch = findingsOf(r.stdout).find((f) => f.rule === 'prediction-mismatch')!;
      assert.equal(mismatch.data.admissionPredicted, 'admitted');
      assert.match(mismatch.data.admissionCluster ?? '', /^refused: .*denied the request: PVC Spec is not valid - missing storage size/);
    } finally {
      emu.services.register('cdi', 'cdi-api', 443, cdi.url);
      emu.store.upsert(cdiPvcMutate(cdi.caBundle));
      await denied.close();
    }
  });
});
