/**
 * `kvstorage datamover plan --kubeconfig`: the built CLI reading the class's StorageProfile minimum and the
 * ResourceQuotas from the API emulator (through cluster/), and saying what it could not read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { wholeChain } from '../datamover/tree.js';
import { writeTree } from '../datamover/write.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { ensureBuilt, runCliAsync } from './runCli.js';

let emu: Emulator;
let tmp = '';
const kubeconfig = (user: 'readonly' | 'forbidden') => path.join(tmp, `${user}.kubeconfig`);
const plan = (...args: string[]) => runCliAsync(['datamover', 'plan', 'tree', '--backup', 'day3', ...args], { env: { KUBECONFIG: '', HOME: tmp, NO_COLOR: '1' }, cwd: tmp });

interface PlanJson {
  cluster: { checked: boolean; storageClass: string | null; minimum: string | null; quotas: string[]; notes: string[] };
  backups: { cluster: { rule: string; severity: string; message: string }[] }[];
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(tmpdir(), 'kvstorage-datamover-cluster-'));
  writeTree(path.join(tmp, 'tree'), wholeChain());
  emu = await startEmulator({ resources: [{ group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', singular: 'resourcequota', namespaced: true, subresources: ['status'] }] });
  const s = emu.store;
  s.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'slow' }, provisioner: 'example.com/slow' });
  s.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'example.com/fast' });
  s.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'fast', annotations: { 'cdi.kubevirt.io/minimumSupportedPvcSize': '5Gi' } }, spec: {}, status: {} });
  s.create({
    apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'adp-storage', namespace: 'openshift-adp' },
    spec: { hard: { 'requests.storage': '20Gi', persistentvolumeclaims: '10' } }, status: { used: { 'requests.storage': '2Gi', persistentvolumeclaims: '1' } },
  });
  s.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'vm-pvcs', namespace: 'vms' }, spec: { hard: { persistentvolumeclaims: '5' } }, status: { used: {} } });
  for (const user of ['readonly', 'forbidden'] as const) writeFileSync(kubeconfig(user), emu.kubeconfig({ user, namespace: 'vms' }));
});

after(async () => {
  await emu?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('kvstorage datamover plan --kubeconfig', () => {
  it('the default class, its StorageProfile minimum, and a quota the staging PVCs exceed: exit 1', async () => {
    const r = await plan('--kubeconfig', kubeconfig('readonly'), '--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout) as PlanJson;
    assert.equal(out.cluster.checked, true);
    assert.equal(out.cluster.storageClass, 'fast');
    assert.equal(out.cluster.minimum, '5Gi');
    assert.deepEqual(out.cluster.quotas.sort(), ['openshift-adp/adp-storage', 'vms/vm-pvcs']);
    const problems = out.backups[0]!.cluster;
    assert.deepEqual(problems.map((p) => p.rule), ['datamover-storage-minimum', 'datamover-quota-exceeded']);
    assert.match(problems[1]!.message, /ResourceQuota openshift-adp\/adp-storage leaves 18 GiB .* of requests\.storage \(hard 20Gi, used 2Gi\); the restore's 4 PVC\(s\) in openshift-adp need 20\.8 GiB/);
  });

  it('text output names the context and what the minimum does to the staging size', async () => {
    const r = await plan('--kubeconfig', kubeconfig('readonly'), '--storage-class', 'slow');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /Cluster \(context [^)]+\): class slow, StorageProfile minimum \(none\), 2 ResourceQuota\(s\)/);
    assert.match(r.stdout, /  not checked: no StorageProfile slow could be read/);
    assert.match(r.stdout, /cluster: error datamover-quota-exceeded: ResourceQuota openshift-adp\/adp-storage/);
  });

  it('a class that does not exist is an error (exit 2)', async () => {
    const r = await plan('--kubeconfig', kubeconfig('readonly'), '--storage-class', 'nope');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /StorageClass "nope" does not exist in context/);
  });

  it('a user who may read nothing: the checks not made are named, the plan stands', async () => {
    const r = await plan('--kubeconfig', kubeconfig('forbidden'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /StorageClasses could not be listed .*: the class's StorageProfile minimum was not checked/);
    assert.match(r.stderr, /ResourceQuotas in openshift-adp could not be listed .*: not checked/);
    assert.match(r.stdout, /not checked: ResourceQuotas in vms could not be listed/);
  });
});
