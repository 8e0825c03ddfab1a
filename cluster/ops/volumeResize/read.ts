/**
 * What the VolumeResize operations read off the cluster before their planners run: the facts validation needs
 * (the StatefulSet, each replica's PVC and PV, the namespace's PodDisruptionBudgets, the StorageClasses, the data
 * in use from the kubelets, whether the CRD is served), and, for rollback and delete, the live objects a
 * migration left behind. Read with direct GETs and LISTs (a command line has no caches). Failures are values.
 */
import type { Facts, PdbFact, PvcFact, PvFact, StatefulSetFact, StorageClassFact, VolumeUsageFact } from '../../../core/facts.js';
import { factFromObject, LABEL } from '../../../core/kinds/index.js';
import { backupConfigMapName, BACKUP_KEY, originalPvcName, readVolumeResize, replicaPodName, tempPvcName, VOLUME_RESIZE_API_VERSION, VOLUME_RESIZE_KIND, type VolumeResizeView, type VolumeTarget } from '../../../core/volumeResize/model.js';
import { validateResize, type Validation } from '../../../core/volumeResize/validate.js';
import type { ClusterConnection } from '../../connection.js';
import type { KubeObject } from '../../paths.js';
import { VolumeUsageReader } from '../../volumeUsage.js';

type Conn = Pick<ClusterConnection, 'get' | 'list' | 'request' | 'resource' | 'context'>;
type Json = Record<string, unknown>;

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const source = (conn: Conn) => ({ kind: 'cluster' as const, context: conn.context });

/** A GET where absence is an answer. */
async function getOrAbsent(conn: Conn, apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<Read<KubeObject | undefined>> {
  const r = await conn.get(apiVersion, kind, ns, name);
  if (r.ok) return { ok: true, value: r.value };
  if (r.error.kind === 'not-found' && r.error.status === 404) return { ok: true, value: undefined };
  return { ok: false, message: r.error.message };
}

/** Whether the cluster serves the VolumeResize CRD (the operator is installed). */
export async function servesVolumeResize(conn: Conn): Promise<Read<boolean>> {
  const r = await conn.resource(VOLUME_RESIZE_API_VERSION, VOLUME_RESIZE_KIND);
  if (r.ok) return { ok: true, value: true };
  if (r.error.kind === 'not-found') return { ok: true, value: false };
  return { ok: false, message: `Cannot tell whether the cluster serves VolumeResizes: ${r.error.message}` };
}

/** A VolumeResize by name; `not-found` is a message the user reads. */
export async function readVr(conn: Conn, namespace: string, name: string): Promise<Read<VolumeResizeView>> {
  const served = await servesVolumeResize(conn);
  if (!served.ok) return served;
  if (!served.value) return { ok: false, message: `The cluster (context ${conn.context}) does not serve volumeresizes.storage.maurice.fr: the VolumeResize operator is not installed.` };
  const r = await getOrAbsent(conn, VOLUME_RESIZE_API_VERSION, VOLUME_RESIZE_KIND, namespace, name);
  if (!r.ok) return r;
  const vr = r.value ? readVolumeResize(r.value) : undefined;
  return vr ? { ok: true, value: vr } : { ok: false, message: `VolumeResize ${namespace}/${name} does not exist (context ${conn.context}).` };
}

/**
 * Validation of a resize against the cluster: every fact read once, up front, into a Facts the pure validation
 * reads (the same function as the editor's rules).
 */
export async function validateOnCluster(conn: Conn, namespace: string, statefulSetName: string, volumes: readonly VolumeTarget[]): Promise<Read<{ validation: Validation; served: boolean }>> {
  const served = await servesVolumeResize(conn);
  if (!served.ok) return served;
  const sts = await getOrAbsent(conn, 'apps/v1', 'StatefulSet', namespace, statefulSetName);
  if (!sts.ok) return { ok: false, message: `Cannot read StatefulSet ${namespace}/${statefulSetName}: ${sts.message}` };
  const stsFact = sts.value ? factFromObject('StatefulSet', sts.value, source(conn)) : undefined;
  const pvcs = new Map<string, PvcFact>();
  const pvs = new Map<string, PvFact>();
  const usage = new Map<string, VolumeUsageFact>();
  const reader = new VolumeUsageReader(conn);
  for (let r = 0; r < (stsFact?.replicas ?? 0); r++) {
    for (const v of volumes) {
      const name = originalPvcName(v.name, statefulSetName, r);
      const pvc = await getOrAbsent(conn, 'v1', 'PersistentVolumeClaim', namespace, name);
      if (!pvc.ok) return { ok: false, message: `Cannot read PVC ${namespace}/${name}: ${pvc.message}` };
      const fact = pvc.value ? factFromObject('PersistentVolumeClaim', pvc.value, source(conn)) : undefined;
      if (!fact) continue;
      pvcs.set(name, fact);
      if (fact.volumeName) {
        const pv = await getOrAbsent(conn, 'v1', 'PersistentVolume', undefined, fact.volumeName);
        const pvFact = pv.ok && pv.value ? factFromObject('PersistentVolume', pv.value, source(conn)) : undefined;
        if (pvFact) pvs.set(pvFact.name, pvFact);
      }
      usage.set(`${name}/${replicaPodName(statefulSetName, r)}`, await reader.read(namespace, name, replicaPodName(statefulSetName, r)));
    }
  }
  const pdbList = await conn.list('policy/v1', 'PodDisruptionBudget', namespace);
  const pdbs: PdbFact[] = pdbList.ok ? pdbList.value.items.flatMap((o) => factFromObject('PodDisruptionBudget', o, source(conn)) ?? []) : [];
  const scList = await conn.list('storage.k8s.io/v1', 'StorageClass');
  if (!scList.ok) return { ok: false, message: `Cannot list the StorageClasses: ${scList.error.message}` };
  const classes: StorageClassFact[] = scList.value.items.flatMap((o) => factFromObject('StorageClass', o, source(conn)) ?? []);
  const facts: Facts = {
    volumeSnapshot: () => undefined,
    storageClass: (n) => classes.find((c) => c.name === n),
    storageClasses: () => classes,
    storageProfile: () => undefined,
    cdiConfig: () => undefined,
    cdiVersion: () => undefined,
    statefulSet: (ns, n): StatefulSetFact | undefined => (ns === namespace && n === statefulSetName ? stsFact : undefined),
    persistentVolumeClaim: (ns, n) => (ns === namespace ? pvcs.get(n) : undefined),
    podDisruptionBudgets: (ns) => (ns === namespace ? pdbs : []),
    persistentVolume: (n) => pvs.get(n),
    volumeUsage: (ns, pvc, pod) => (ns === namespace ? usage.get(`${pvc}/${pod}`) : undefined),
    serves: (kind) => (kind === 'VolumeResize' ? served.value : undefined),
    connectedContext: () => conn.context,
  };
  const validation = validateResize({ namespace, statefulSetName, volumes }, facts);
  if (!pdbList.ok) validation.problems.push({ rule: 'volumeresize-pdb-blocks', severity: 'info', message: `The PodDisruptionBudgets of namespace ${namespace} cannot be read (${pdbList.error.message}): the operator refuses to start when one allows no disruption.`, at: { field: 'statefulSetName' } });
  return { ok: true, value: { validation, served: served.value } };
}

/** What a rollback reads: the StatefulSet, the backup, the PVCs and PVs of every cell, the namespace's pods. */
export async function readRollbackState(conn: Conn, vr: VolumeResizeView): Promise<Read<{ statefulSet?: Json; backupJson?: string; pvcs: Map<string, Json>; pvs: Map<string, Json>; pods: Json[] }>> {
  const ns = vr.namespace;
  const sts = await getOrAbsent(conn, 'apps/v1', 'StatefulSet', ns, vr.statefulSetName);
  if (!sts.ok) return { ok: false, message: `Cannot read StatefulSet ${ns}/${vr.statefulSetName}: ${sts.message}` };
  const cmName = vr.status.backupConfigMapName ?? backupConfigMapName(vr.name);
  const cm = await getOrAbsent(conn, 'v1', 'ConfigMap', ns, cmName);
  if (!cm.ok) return { ok: false, message: `Cannot read the backup ConfigMap ${ns}/${cmName}: ${cm.message}` };
  const data = cm.value?.['data'] as Record<string, unknown> | undefined;
  const backupJson = data && Object.hasOwn(data, BACKUP_KEY) && typeof data[BACKUP_KEY] === 'string' ? (data[BACKUP_KEY] as string) : undefined;
  const pvcs = new Map<string, Json>();
  const pvs = new Map<string, Json>();
  const pvNames = new Set<string>();
  for (const c of vr.status.volumeStatuses) {
    for (const name of [originalPvcName(c.volumeName, vr.statefulSetName, c.replica), tempPvcName(c.volumeName, vr.statefulSetName, c.replica)]) {
      const pvc = await getOrAbsent(conn, 'v1', 'PersistentVolumeClaim', ns, name);
      if (!pvc.ok) return { ok: false, message: `Cannot read PVC ${ns}/${name}: ${pvc.message}` };
      if (!pvc.value) continue;
      pvcs.set(name, pvc.value as Json);
      const bound = (pvc.value['spec'] as { volumeName?: string } | undefined)?.volumeName;
      if (bound) pvNames.add(bound);
    }
    if (c.oldPVName) pvNames.add(c.oldPVName);
  }
  for (const name of pvNames) {
    const pv = await getOrAbsent(conn, 'v1', 'PersistentVolume', undefined, name);
    if (!pv.ok) return { ok: false, message: `Cannot read PV ${name}: ${pv.message}` };
    if (pv.value) pvs.set(name, pv.value as Json);
  }
  const pods = await conn.list('v1', 'Pod', ns);
  if (!pods.ok) return { ok: false, message: `Cannot list the pods of namespace ${ns} (to see what uses the PVCs): ${pods.error.message}` };
  return { ok: true, value: { ...(sts.value ? { statefulSet: sts.value as Json } : {}), ...(backupJson !== undefined ? { backupJson } : {}), pvcs, pvs, pods: pods.value.items as Json[] } };
}

/** What deleting a VolumeResize sets off and leaves: its labelled PVCs and pods, its old PVs, the StatefulSet, the backup. */
export async function readDeleteState(
  conn: Conn,
  vr: VolumeResizeView,
): Promise<Read<{ labelledPvcs: string[]; labelledPods: string[]; oldPvs: { name: string; exists: boolean; reclaimPolicy?: string }[]; originalPvcs: { name: string; pv?: string; reclaimPolicy?: string }[]; statefulSetExists: boolean; backupExists: boolean }>> {
  const ns = vr.namespace;
  const selector = `${LABEL.volumeResizeMigrationName}=${vr.name}`;
  const pvcs = await conn.list('v1', 'PersistentVolumeClaim', ns, { labelSelector: selector });
  if (!pvcs.ok) return { ok: false, message: `Cannot list the PVCs labelled ${selector}: ${pvcs.error.message}` };
  const pods = await conn.list('v1', 'Pod', ns, { labelSelector: selector });
  if (!pods.ok) return { ok: false, message: `Cannot list the pods labelled ${selector}: ${pods.error.message}` };
  const oldPvs: { name: string; exists: boolean; reclaimPolicy?: string }[] = [];
  for (const name of [...new Set(vr.status.volumeStatuses.flatMap((c) => (c.oldPVName ? [c.oldPVName] : [])))]) {
    const pv = await getOrAbsent(conn, 'v1', 'PersistentVolume', undefined, name);
    if (!pv.ok) return { ok: false, message: `Cannot read PV ${name}: ${pv.message}` };
    const policy = (pv.value?.['spec'] as { persistentVolumeReclaimPolicy?: string } | undefined)?.persistentVolumeReclaimPolicy;
    oldPvs.push({ name, exists: pv.value !== undefined, ...(policy ? { reclaimPolicy: policy } : {}) });
  }
  const originalPvcs: { name: string; pv?: string; reclaimPolicy?: string }[] = [];
  const replicas = [...new Set(vr.status.volumeStatuses.map((c) => c.replica))];
  for (const r of replicas) {
    for (const v of vr.volumes) {
      const name = originalPvcName(v.name, vr.statefulSetName, r);
      const pvc = await getOrAbsent(conn, 'v1', 'PersistentVolumeClaim', ns, name);
      if (!pvc.ok) return { ok: false, message: `Cannot read PVC ${ns}/${name}: ${pvc.message}` };
      if (!pvc.value) continue;
      const pvName = (pvc.value['spec'] as { volumeName?: string } | undefined)?.volumeName;
      const pv = pvName ? await getOrAbsent(conn, 'v1', 'PersistentVolume', undefined, pvName) : undefined;
      const policy = pv?.ok ? (pv.value?.['spec'] as { persistentVolumeReclaimPolicy?: string } | undefined)?.persistentVolumeReclaimPolicy : undefined;
      originalPvcs.push({ name, ...(pvName ? { pv: pvName } : {}), ...(policy ? { reclaimPolicy: policy } : {}) });
    }
  }
  const sts = await getOrAbsent(conn, 'apps/v1', 'StatefulSet', ns, vr.statefulSetName);
  if (!sts.ok) return { ok: false, message: `Cannot read StatefulSet ${ns}/${vr.statefulSetName}: ${sts.message}` };
  const cm = await getOrAbsent(conn, 'v1', 'ConfigMap', ns, vr.status.backupConfigMapName ?? backupConfigMapName(vr.name));
  if (!cm.ok) return { ok: false, message: cm.message };
  const names = (items: KubeObject[]) => items.map((o) => o.metadata?.name ?? '').filter((n) => n !== '');
  return { ok: true, value: { labelledPvcs: names(pvcs.value.items), labelledPods: names(pods.value.items), oldPvs, originalPvcs, statefulSetExists: sts.value !== undefined, backupExists: cm.value !== undefined } };
}
