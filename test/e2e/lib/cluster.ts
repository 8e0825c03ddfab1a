/**
 * The cluster of the real-editor tests: the API emulator (test/emulator) on loopback HTTPS, seeded with a few
 * storage objects whose names appear nowhere in examples/ (so the workspace's findings do not change when the
 * extension connects), and a kubeconfig for it. Loaded by cluster.mjs through tsx.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { emulatorStore, playCdi } from '../../gcpImages/cdiPlayer.js';
import { startSimulation, type OperatorStep } from '../../sim/index.js';
import { seedStatefulSet, volumeResize } from '../../sim/seed.js';

/** What the extension tests read from `$KVS_E2E_CLUSTER` (a JSON file). */
export interface TestClusterInfo {
  url: string;
  /** The admin user's bearer token and the emulator's CA, for the tests' own API calls. */
  token: string;
  caPem: string;
  kubeconfig: string;
  context: string;
  namespace: string;
  /** A VolumeSnapshot that exists only in the emulator, with restoreSize `restoreSize`. */
  snapshot: string;
  restoreSize: string;
  /**
   * `GET` answers the API requests the emulator has seen so far, as JSON `[{method, path, query, user}]` (plain
   * HTTP on loopback): the tests check, e.g., that a cancelled deploy wrote nothing.
   */
  requestsUrl: string;
}

/**
 * The simulated VolumeResize operator (test/sim), for the UI tests in this process: StatefulSets to shrink, a
 * migration started, a step held (until released) or failed, an object read back.
 */
export interface ResizeControl {
  namespace: string;
  seedStatefulSet(name: string, replicas: number): Promise<void>;
  start(name: string, statefulSet: string, newSize: string): void;
  hold(step: OperatorStep, replica?: number): { reached: Promise<void>; release(): void };
  failAt(step: OperatorStep, replica?: number): void;
  get(apiVersion: string, kind: string, name: string): Record<string, any> | undefined;
}

export interface TestCluster {
  info: TestClusterInfo;
  resize: ResizeControl;
  /** The JSON file holding `info`. */
  infoFile: string;
  close(): Promise<void>;
}

const namespace = 'kvs-e2e';
const snapshot = 'e2e-only-snap';
const restoreSize = '8Gi';

/**
 * A GCP cluster's golden-image side for the checklist's UI test, under names that appear nowhere in examples/:
 * a hyperdisk class and a standard snapshot class of the PD driver (neither a default, so the other tests' default
 * classes do not change), HyperConverged (v1) with one golden image, its snapshot on the standard class, and no
 * CDI CR (its version unknown: the whole manual workaround applies). CDI's StorageProfile controller is played.
 */
function seedGcp(emu: Emulator): () => Promise<void> {
  const s = emu.store;
  const pd = 'pd.csi.storage.gke.io';
  s.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'e2e-hyperdisk' }, provisioner: pd, parameters: { type: 'hyperdisk-balanced' }, volumeBindingMode: 'WaitForFirstConsumer' });
  s.create({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'e2e-pd-vsc' }, driver: pd, deletionPolicy: 'Delete' });
  s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubevirt-os-images' } });
  s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubevirt-hyperconverged' } });
  const template = { schedule: '0 */12 * * *', managedDataSource: 'e2e-fedora', template: { spec: { source: { registry: { url: 'docker://quay.io/containerdisks/fedora:latest' } }, storage: { resources: { requests: { storage: '30Gi' } } } } } };
  s.create({
    apiVersion: 'hco.kubevirt.io/v1',
    kind: 'HyperConverged',
    metadata: { name: 'kubevirt-hyperconverged', namespace: 'kubevirt-hyperconverged' },
    spec: { workloadSources: {} },
    status: { versions: [{ name: 'operator', version: '1.18.0' }], dataImportCronTemplates: [{ metadata: { name: 'e2e-fedora-image-cron', namespace: 'kubevirt-os-images' }, spec: template, status: { commonTemplate: true } }] },
  });
  // Ready, but without a restoreSize: the webhook deploy never picks it to verify with.
  s.create({
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: { name: 'e2e-fedora-1a2b3c4d5e6f', namespace: 'kubevirt-os-images', labels: { 'cdi.kubevirt.io/dataImportCron': 'e2e-fedora-image-cron' } },
    spec: { source: { persistentVolumeClaimName: 'e2e-fedora-1a2b3c4d5e6f' }, volumeSnapshotClassName: 'e2e-pd-vsc' },
    status: { readyToUse: true },
  });
  const cdi = playCdi(emulatorStore(emu), { automatic: false });
  return () => cdi.stop();
}

/** Starts and seeds the emulator; writes the kubeconfig and the info file into `dir` (which must exist). */
export async function startTestCluster(dir: string, opts: { gcp?: boolean } = {}): Promise<TestCluster> {
  // No cert-manager: a plain cluster, where self-signed is the webhook deploy's only TLS mode (no TLS question).
  const emu = await startEmulator({ withoutGroups: ['cert-manager.io'] });
  const s = emu.store;
  s.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'e2e-nfs' }, provisioner: 'nfs.csi.k8s.io' });
  s.create({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', metadata: { name: 'e2e-nfs' }, spec: {}, status: { claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }] } });
  s.create({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'e2e-disk', namespace },
    spec: { storageClassName: 'e2e-nfs', accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem', resources: { requests: { storage: restoreSize } } },
    status: { phase: 'Bound', capacity: { storage: restoreSize } },
  });
  s.create({
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: { name: snapshot, namespace },
    spec: { source: { persistentVolumeClaimName: 'e2e-disk' } },
    status: { readyToUse: true, restoreSize },
  });
  // The context's namespace is `default`, as the CLI assumes for manifests that name none: the extension's
  // findings on examples/ stay the CLI's while connected.
  const context = 'kvs-e2e-emulator';
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, emu.kubeconfig({ contextName: context, namespace: 'default' }));
  const requests = createServer((req, res) => {
    res.writeHead(req.method === 'GET' ? 200 : 405, { 'Content-Type': 'application/json' });
    res.end(req.method === 'GET' ? JSON.stringify(emu.requests) : '{}');
  });
  await new Promise<void>((resolve) => requests.listen(0, '127.0.0.1', resolve));
  const requestsUrl = `http://127.0.0.1:${(requests.address() as AddressInfo).port}/requests`;
  const info: TestClusterInfo = { url: emu.url, token: emu.tokens.admin, caPem: emu.caPem ?? '', kubeconfig, context, namespace, snapshot, restoreSize, requestsUrl };
  const infoFile = join(dir, 'cluster.json');
  writeFileSync(infoFile, JSON.stringify(info, null, 2));
  const stopGcp = opts.gcp ? seedGcp(emu) : undefined;
  // migcontroller's operator and the controllers it needs, in this process (the UI tests drive it).
  const sim = startSimulation(emu, { tickMs: 5 });
  const resize: ResizeControl = {
    namespace,
    seedStatefulSet: (name, replicas) => seedStatefulSet(emu, sim, { namespace, name, replicas, storageClass: 'e2e-block', used: 1024n ** 3n }),
    start: (name, statefulSet, newSize) => void emu.store.create(volumeResize(name, [{ name: 'data', newSize }], { namespace, statefulSet })),
    hold: (step, replica) => sim.operator.hold({ step, namespace, ...(replica !== undefined ? { replica } : {}) }),
    failAt: (step, replica) => sim.operator.failAt({ step, namespace, ...(replica !== undefined ? { replica } : {}) }),
    get: (apiVersion, kind, name) => emu.store.get(apiVersion, kind, namespace, name) as Record<string, any> | undefined,
  };
  const close = async (): Promise<void> => {
    await stopGcp?.();
    sim.stop();
    if (sim.errors.length > 0) throw new Error(`the simulated operator failed: ${String(sim.errors[0])}`);
    requests.closeAllConnections();
    await new Promise<void>((resolve) => requests.close(() => resolve()));
    await emu.close();
  };
  return { info, infoFile, resize, close };
}
