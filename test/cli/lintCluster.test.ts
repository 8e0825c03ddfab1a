/**
 * `kvstorage lint --kubeconfig`: the built CLI with live facts from the API emulator. The restored snapshot
 * exists only in the cluster; the CDI version and the CDIConfig overhead come from there too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cdiPvcMutate } from '../emulator/admissionFixtures.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { ensureBuilt, runCliAsync } from './runCli.js';

interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
  data: Record<string, string>;
}

const manifests = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: tpm-restore
spec:
  storageClassName: trident-nas
  accessModes: [ReadWriteOnce]
  dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: tpm-snap}
  resources: {requests: {storage: 21Mi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: labelled-restore
  labels: {cdi.kubevirt.io/applyStorageProfile: "true"}
spec:
  storageClassName: trident-nas
  accessModes: [ReadWriteOnce]
  volumeMode: Filesystem
  dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: tpm-snap}
  resources: {requests: {storage: 20Mi}}
`;

let emu: Emulator;
let tmp = '';
let kubeconfig = '';
let pvcs = '';
const env = (): NodeJS.ProcessEnv => ({ KUBECONFIG: '', HOME: tmp, NO_COLOR: '1' });
const lint = (...args: string[]) => runCliAsync(['lint', ...args], { env: env(), cwd: tmp });
const findingsOf = (stdout: string): JsonFinding[] => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'kvstorage-lint-cluster-'));
  emu = await startEmulator();
  const s = emu.store;
  s.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'trident-nas' }, provisioner: 'csi.trident.netapp.io' });
  s.create({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'tpm-snap', namespace: 'vms' },
    spec: { source: { persistentVolumeClaimName: 'tpm' } }, status: { readyToUse: true, restoreSize: '20Mi' },
  });
  s.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDI', metadata: { name: 'cdi' }, spec: {}, status: { observedVersion: 'v1.63.1' } });
  s.create({
    apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'CDIConfig', metadata: { name: 'config' }, spec: {},
    status: { filesystemOverhead: { global: '0.06', storageClass: { 'trident-nas': '0.08' } } },
  });
  // CDI's PVC webhook configuration, as its operator creates it while PVC rendering is on.
  s.create(cdiPvcMutate(''));
  kubeconfig = path.join(tmp, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, emu.kubeconfig({ namespace: 'vms', contextName: 'lab' }));
  pvcs = path.join(tmp, 'restore.yaml');
  writeFileSync(pvcs, manifests);
});

after(async () => {
  await emu?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('kvstorage lint --kubeconfig', () => {
  it('offline, the snapshot is unknown: snapshot-not-found only, exit 0', async () => {
    const r = await lint('--format', 'json', 'restore.yaml');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(findingsOf(r.stdout).map((f) => f.rule), ['snapshot-not-found', 'snapshot-not-found']);
  });

  it('with the cluster: the snapshot, CDI version and overhead come from it; exit 1', async () => {
    const r = await lint('--kubeconfig', kubeconfig, '--format', 'json', 'restore.yaml');
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');
    const findings = findingsOf(r.stdout);
    assert.deepEqual(findings.map((f) => `${f.rule} ${f.severity}`), ['restore-size-exceeded error', 'cdi-restore-inflation error']);
    const inflation = findings[1]!;
    assert.equal(inflation.data.overhead, '0.08', "CDIConfig status's per-class overhead");
    assert.equal(inflation.data.cdiVersion, 'v1.63.1');
    assert.equal(inflation.data.snapshot, 'vms/tpm-snap', "the context's namespace is the manifests' default");
    // ceil(20Mi × 1.08), CDI v1.63's formula.
    assert.equal(inflation.data.predictedBytes, String(Math.ceil(20 * 1024 * 1024 * 1.08)));
    assert.equal(inflation.data.webhook, 'live');
    assert.match(inflation.message, /cdi-api-pvc-mutate \(pvc-mutate\.cdi\.kubevirt\.io\) on the cluster lab selects it/);
  });

  it('without cdi-api-pvc-mutate on the cluster (PVC rendering off) nothing is inflated, whatever the version', async () => {
    emu.store.delete('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, 'cdi-api-pvc-mutate');
    try {
      const r = await lint('--kubeconfig', kubeconfig, '--format', 'json', 'restore.yaml');
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(findingsOf(r.stdout).map((f) => f.rule), ['restore-size-exceeded']);
    } finally {
      emu.store.create(cdiPvcMutate(''));
    }
  });

  it('--namespace still names the manifests\' namespace; --context picks the context', async () => {
    const other = await lint('--kubeconfig', kubeconfig, '--namespace', 'other', '--format', 'json', 'restore.yaml');
    assert.equal(other.status, 0, other.stderr);
    assert.deepEqual(findingsOf(other.stdout).map((f) => f.rule), ['snapshot-not-found', 'snapshot-not-found']);
    const named = await lint('--kubeconfig', kubeconfig, '--context', 'lab', 'restore.yaml');
    assert.equal(named.status, 1, named.stderr);
    assert.match(named.stdout, /^restore\.yaml:9:35: error restore-size-exceeded: /m);
  });

  it('a cluster it cannot use is exit 2 with the reason, not a clean lint', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, emu.kubeconfig({ user: 'bad' }));
    const unauthorized = await lint('--kubeconfig', bad, 'restore.yaml');
    assert.equal(unauthorized.status, 2);
    assert.equal(unauthorized.stdout, '');
    assert.match(unauthorized.stderr, /^kvstorage lint: .*rejected the credentials \(401\)/);
    const unknown = await lint('--kubeconfig', kubeconfig, '--context', 'nope', 'restore.yaml');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /context "nope" is not in kubeconfig/);
    const usage = await lint('--timeout', '3', 'restore.yaml');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--timeout applies to a cluster/);
  });
});
