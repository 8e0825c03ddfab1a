/** A platform's objects as the pure planner's inputs (what cluster/ops/gcpImages/read.ts reads off a cluster). */
import { disksFrom } from '../../core/ops/gcpImages/disks.js';
import type { GcpImagesInputs, HcoApiVersion } from '../../core/ops/gcpImages/types.js';
import { CRON_LABEL, type Platform } from './platforms.js';

type O = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

export function inputsOf(p: Platform, objects: Record<string, unknown>[] = p.objects): GcpImagesInputs {
  const all = objects as O[];
  const of = (kind: string) => all.filter((o) => o.kind === kind);
  const withoutV1 = p.emulator.withoutVersions?.includes('hco.kubevirt.io/v1') ?? false;
  const served: HcoApiVersion[] = withoutV1 ? ['hco.kubevirt.io/v1beta1'] : ['hco.kubevirt.io/v1', 'hco.kubevirt.io/v1beta1'];
  const hco = of('HyperConverged')[0];
  const openshift = (p.emulator.resources ?? []).some((r) => r.group === 'config.openshift.io');
  const cdi = of('CDI')[0] as { status?: { observedVersion?: string } } | undefined;
  return {
    target: { context: 'test', server: 'https://127.0.0.1' },
    openshift,
    csiDriver: of('CSIDriver').length > 0,
    storageClasses: of('StorageClass'),
    snapshotClasses: of('VolumeSnapshotClass'),
    snapshotV1beta1Served: false,
    cdi: { served: true, ...(cdi?.status?.observedVersion ? { version: cdi.status.observedVersion, versionSource: 'CDI CR' } : {}) },
    storageProfiles: of('StorageProfile'),
    ...(hco ? { hco: { apiVersion: served[0]!, object: hco, served } } : {}),
    hcoServed: true,
    dataImportCrons: of('DataImportCron'),
    namespaces: Object.fromEntries(['kubevirt-os-images', 'openshift-virtualization-os-images'].map((n) => [n, of('Namespace').some((o) => o.metadata.name === n)])),
    cronSnapshots: of('VolumeSnapshot').filter((o) => o.metadata.labels?.[CRON_LABEL] !== undefined),
    disks: disksFrom(of('PersistentVolumeClaim'), of('DataVolume')),
    unread: [],
  };
}
