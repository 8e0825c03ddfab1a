/**
 * VM disks for verification: each PVC (and each DataVolume whose PVC does not exist yet) with its storage
 * class and what it was made from. A DataVolume names its golden image as `spec.sourceRef` (a DataSource,
 * in its own namespace unless it says otherwise) or `spec.source.snapshot`; a PVC of its own as a
 * cross-namespace `spec.dataSourceRef`.
 */
import type { DiskJson, ObjectJson } from './types.js';

interface PvcJson extends ObjectJson {
  spec?: { storageClassName?: string; dataSourceRef?: { kind?: string; name?: string; namespace?: string } };
}

interface DataVolumeJson extends ObjectJson {
  spec?: {
    sourceRef?: { kind?: string; name?: string; namespace?: string };
    source?: { snapshot?: { name?: string; namespace?: string } };
    storage?: { storageClassName?: string };
    pvc?: { storageClassName?: string };
  };
}

function dvSource(dv: DataVolumeJson, namespace: string): DiskJson['from'] {
  const ref = dv.spec?.sourceRef;
  if (ref?.kind === 'DataSource' && ref.name) return { kind: 'DataSource', namespace: ref.namespace ?? namespace, name: ref.name };
  const snap = dv.spec?.source?.snapshot;
  if (snap?.name) return { kind: 'VolumeSnapshot', namespace: snap.namespace ?? namespace, name: snap.name };
  return undefined;
}

function pvcSource(pvc: PvcJson, namespace: string): DiskJson['from'] {
  const ref = pvc.spec?.dataSourceRef;
  if ((ref?.kind === 'DataSource' || ref?.kind === 'VolumeSnapshot') && ref.name) return { kind: ref.kind, namespace: ref.namespace ?? namespace, name: ref.name };
  return undefined;
}

export function disksFrom(pvcs: readonly PvcJson[], dataVolumes: readonly DataVolumeJson[]): DiskJson[] {
  const key = (o: ObjectJson): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  const dvs = new Map(dataVolumes.map((d) => [key(d), d]));
  const out: DiskJson[] = [];
  const seen = new Set<string>();
  for (const p of pvcs) {
    const namespace = p.metadata?.namespace ?? '';
    const name = p.metadata?.name ?? '';
    const dv = dvs.get(key(p));
    const from = (dv ? dvSource(dv, namespace) : undefined) ?? pvcSource(p, namespace);
    const cls = p.spec?.storageClassName;
    seen.add(key(p));
    out.push({ namespace, name, ...(cls !== undefined ? { storageClassName: cls } : {}), ...(from ? { from } : {}), ...(p.metadata?.creationTimestamp ? { creationTimestamp: p.metadata.creationTimestamp } : {}) });
  }
  for (const d of dataVolumes) {
    if (seen.has(key(d))) continue;
    const namespace = d.metadata?.namespace ?? '';
    const from = dvSource(d, namespace);
    const cls = d.spec?.storage?.storageClassName ?? d.spec?.pvc?.storageClassName;
    out.push({ namespace, name: d.metadata?.name ?? '', ...(cls !== undefined ? { storageClassName: cls } : {}), ...(from ? { from } : {}) });
  }
  return out;
}
