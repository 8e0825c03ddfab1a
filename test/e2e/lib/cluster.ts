/**
 * The cluster of the real-editor tests: the API emulator (test/emulator) on loopback HTTPS, seeded with a few
 * storage objects whose names appear nowhere in examples/ (so the workspace's findings do not change when the
 * extension connects), and a kubeconfig for it. Loaded by cluster.mjs through tsx.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/index.js';

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
}

export interface TestCluster {
  info: TestClusterInfo;
  /** The JSON file holding `info`. */
  infoFile: string;
  close(): Promise<void>;
}

const namespace = 'kvs-e2e';
const snapshot = 'e2e-only-snap';
const restoreSize = '8Gi';

/** Starts and seeds the emulator; writes the kubeconfig and the info file into `dir` (which must exist). */
export async function startTestCluster(dir: string): Promise<TestCluster> {
  const emu = await startEmulator();
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
  const info: TestClusterInfo = { url: emu.url, token: emu.tokens.admin, caPem: emu.caPem ?? '', kubeconfig, context, namespace, snapshot, restoreSize };
  const infoFile = join(dir, 'cluster.json');
  writeFileSync(infoFile, JSON.stringify(info, null, 2));
  return { info, infoFile, close: () => emu.close() };
}
