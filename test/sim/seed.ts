// A StatefulSet with running replicas on provisioned volumes, as the tests of VolumeResize start from.
import { waitFor } from '../cluster/target.js';
import type { Emulator } from '../emulator/types.js';
import type { Simulation } from './index.js';

export interface SeedOptions {
  namespace?: string;
  name?: string;
  replicas?: number;
  volumes?: { name: string; size: string; accessModes?: string[] }[];
  storageClass?: string;
  bindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  /** usedBytes of every volume once bound. */
  used?: bigint;
}

/** Seeds a StorageClass and a StatefulSet, waits until every replica runs on bound volumes. */
export async function seedStatefulSet(emu: Emulator, sim: Simulation, o: SeedOptions = {}): Promise<void> {
  const ns = o.namespace ?? 'shop';
  const name = o.name ?? 'db';
  const replicas = o.replicas ?? 3;
  const volumes = o.volumes ?? [{ name: 'data', size: '10Gi' }];
  const sc = o.storageClass ?? 'fast';
  if (!emu.store.get('storage.k8s.io/v1', 'StorageClass', undefined, sc)) {
    emu.store.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: sc }, provisioner: 'csi.example.com', reclaimPolicy: 'Delete', volumeBindingMode: o.bindingMode ?? 'Immediate' });
  }
  emu.store.create({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'registry.example.com/app:1' }] } },
      volumeClaimTemplates: volumes.map((v) => ({ metadata: { name: v.name }, spec: { accessModes: v.accessModes ?? ['ReadWriteOnce'], storageClassName: sc, resources: { requests: { storage: v.size } } } })),
    },
  });
  const running = () => Array.from({ length: replicas }, (_, i) => emu.store.get('v1', 'Pod', ns, `${name}-${i}`) as { status?: { phase?: string } } | undefined).every((p) => p?.status?.phase === 'Running');
  await waitFor(`StatefulSet ${ns}/${name} running`, running, 10_000);
  if (o.used !== undefined) for (let i = 0; i < replicas; i++) for (const v of volumes) sim.kube.setUsage(ns, `${v.name}-${name}-${i}`, o.used);
}

export function volumeResize(name: string, volumes: { name: string; newSize: string; storageClass?: string }[], o: { namespace?: string; statefulSet?: string } = {}): object {
  return { apiVersion: 'storage.maurice.fr/v1alpha1', kind: 'VolumeResize', metadata: { name, namespace: o.namespace ?? 'shop' }, spec: { statefulSetName: o.statefulSet ?? 'db', volumes } };
}
