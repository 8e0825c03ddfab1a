/**
 * What the GCP golden-image workaround reads off the cluster, through the connection: discovery, the PD CSI
 * driver, StorageClasses, VolumeSnapshotClasses, CDI's version and StorageProfiles, the HyperConverged CR at
 * the API version the cluster prefers, DataImportCrons, the golden-image namespaces, the golden-image
 * VolumeSnapshots (by their label) and, for verification, PVCs and DataVolumes. A read that is refused for
 * something optional is named in `unread`, never guessed; StorageClasses are required.
 */
import { disksFrom } from '../../../core/ops/gcpImages/disks.js';
import { GOLDEN_NAMESPACES, LABEL } from '../../../core/ops/gcpImages/keys.js';
import type {
  DataImportCronJson,
  GcpImagesInputs,
  HcoApiVersion,
  HyperConvergedJson,
  SnapshotClassJson,
  StorageClassJson,
  StorageProfileJson,
  VolumeSnapshotJson,
} from '../../../core/ops/gcpImages/types.js';
import { PD_DRIVER } from '../../../core/gcp/pdParameters.js';
import type { ClusterConnection } from '../../connection.js';
import { discover } from '../../discovery.js';
import type { ClusterError } from '../../errors.js';

type Conn = Pick<ClusterConnection, 'get' | 'list' | 'resource' | 'request' | 'namespace' | 'context' | 'server'>;

export type ReadResult = { ok: true; inputs: GcpImagesInputs } | { ok: false; message: string };

const groups = ['snapshot.storage.k8s.io', 'cdi.kubevirt.io', 'hco.kubevirt.io', 'config.openshift.io', 'route.openshift.io'];

/** A list that may be refused: the items, or [] and a sentence in `unread`. */
async function optionalList<T>(conn: Conn, unread: string[], apiVersion: string, kind: string, what: string, namespace?: string, labelSelector?: string): Promise<T[]> {
  const r = await conn.list<T>(apiVersion, kind, namespace, labelSelector ? { labelSelector } : {});
  if (r.ok) return r.value.items;
  if (r.error.kind !== 'not-found') unread.push(`${what} could not be read (${r.error.message}).`);
  return [];
}

const fatal = (what: string, e: ClusterError): ReadResult => ({ ok: false, message: `Reading ${what} failed: ${e.message}` });

export async function readGcpImages(conn: Conn, fallbackCdi?: { version: string; source: string }): Promise<ReadResult> {
  const d = await discover(conn, groups);
  if (!d.ok) return fatal('the API groups', d.error);
  const served = d.value.served;
  const unread: string[] = [];

  const scs = await conn.list<StorageClassJson>('storage.k8s.io/v1', 'StorageClass');
  if (!scs.ok) return fatal('the StorageClasses', scs.error);

  let csiDriver: boolean | undefined;
  const driverKind = await conn.resource('storage.k8s.io/v1', 'CSIDriver');
  if (driverKind.ok) {
    const drv = await conn.get('storage.k8s.io/v1', 'CSIDriver', undefined, PD_DRIVER);
    csiDriver = drv.ok ? true : drv.error.kind === 'not-found' ? false : undefined;
  }

  const snapshotsServed = served('snapshot.storage.k8s.io', 'v1');
  let snapshotClasses: SnapshotClassJson[] | undefined;
  if (snapshotsServed) {
    const r = await conn.list<SnapshotClassJson>('snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass');
    if (!r.ok) return fatal('the VolumeSnapshotClasses', r.error);
    snapshotClasses = r.value.items;
  }

  const cdiServed = served('cdi.kubevirt.io');
  let cdi: GcpImagesInputs['cdi'] = { served: cdiServed };
  let storageProfiles: StorageProfileJson[] = [];
  let dataImportCrons: DataImportCronJson[] = [];
  if (cdiServed) {
    const crs = await optionalList<{ metadata?: { name?: string }; status?: { observedVersion?: string } }>(conn, unread, 'cdi.kubevirt.io/v1beta1', 'CDI', 'The CDI CR');
    const withVersion = crs.find((c) => c.status?.observedVersion);
    cdi = withVersion
      ? { served: true, version: withVersion.status!.observedVersion!, versionSource: `CDI ${withVersion.metadata?.name ?? ''} status.observedVersion` }
      : fallbackCdi
        ? { served: true, version: fallbackCdi.version, versionSource: fallbackCdi.source }
        : { served: true };
    const profiles = await conn.list<StorageProfileJson>('cdi.kubevirt.io/v1beta1', 'StorageProfile');
    if (!profiles.ok) return fatal('the StorageProfiles', profiles.error);
    storageProfiles = profiles.value.items;
    dataImportCrons = await optionalList<DataImportCronJson>(conn, unread, 'cdi.kubevirt.io/v1beta1', 'DataImportCron', 'DataImportCrons');
  }

  const hcoServed: HcoApiVersion[] = (['hco.kubevirt.io/v1', 'hco.kubevirt.io/v1beta1'] as const).filter((v) => served('hco.kubevirt.io', v.split('/')[1]));
  let hco: GcpImagesInputs['hco'];
  if (hcoServed[0]) {
    const r = await conn.list<HyperConvergedJson>(hcoServed[0], 'HyperConverged');
    if (!r.ok) return fatal(`the HyperConverged CR (${hcoServed[0]})`, r.error);
    const object = r.value.items.find((h) => h.metadata?.name === 'kubevirt-hyperconverged') ?? r.value.items[0];
    if (r.value.items.length > 1) unread.push(`${r.value.items.length} HyperConverged CRs exist; ${object?.metadata?.namespace}/${object?.metadata?.name} is used.`);
    if (object) hco = { apiVersion: hcoServed[0], object: { ...object, apiVersion: hcoServed[0] }, served: hcoServed };
  }

  const namespaces: Record<string, boolean> = {};
  for (const ns of Object.values(GOLDEN_NAMESPACES)) {
    const r = await conn.get('v1', 'Namespace', undefined, ns);
    namespaces[ns] = r.ok;
  }

  let cronSnapshots: VolumeSnapshotJson[] = [];
  if (snapshotsServed) {
    const all = await conn.list<VolumeSnapshotJson>('snapshot.storage.k8s.io/v1', 'VolumeSnapshot', undefined, { labelSelector: LABEL.dataImportCron });
    if (all.ok) cronSnapshots = all.value.items;
    else {
      // Not allowed across namespaces: the namespaces golden images can be in.
      const candidates = new Set([...Object.entries(namespaces).filter(([, exists]) => exists).map(([n]) => n), ...dataImportCrons.map((c) => c.metadata?.namespace ?? '')].filter((n) => n !== ''));
      for (const ns of candidates) cronSnapshots.push(...(await optionalList<VolumeSnapshotJson>(conn, unread, 'snapshot.storage.k8s.io/v1', 'VolumeSnapshot', `Golden-image VolumeSnapshots in ${ns}`, ns, LABEL.dataImportCron)));
    }
  }

  const pvcs = await optionalList<Parameters<typeof disksFrom>[0][number]>(conn, unread, 'v1', 'PersistentVolumeClaim', 'PersistentVolumeClaims (for verification)');
  const dvs = cdiServed ? await optionalList<Parameters<typeof disksFrom>[1][number]>(conn, unread, 'cdi.kubevirt.io/v1beta1', 'DataVolume', 'DataVolumes (for verification)') : [];

  return {
    ok: true,
    inputs: {
      target: { context: conn.context, server: conn.server },
      openshift: served('config.openshift.io') || served('route.openshift.io'),
      ...(csiDriver !== undefined ? { csiDriver } : {}),
      storageClasses: scs.value.items,
      ...(snapshotClasses ? { snapshotClasses } : {}),
      snapshotV1beta1Served: served('snapshot.storage.k8s.io', 'v1beta1'),
      cdi,
      storageProfiles,
      ...(hco ? { hco } : {}),
      hcoServed: hcoServed.length > 0,
      dataImportCrons,
      namespaces,
      cronSnapshots,
      disks: disksFrom(pvcs, dvs),
      unread,
    },
  };
}
