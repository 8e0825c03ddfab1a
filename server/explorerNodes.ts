/**
 * Explorer nodes for each kind of object: labels, descriptions, tooltips, severities. Ids are `/`-joined
 * Kubernetes names under a folder id (names contain no `/`); `!` (never in a name) marks synthetic children.
 */
import type { ApiResource, KubeObject } from '../cluster/paths.js';
import type { StorageClassFact, StorageProfileFact } from '../core/facts.js';
import type { VolumeRestorePrediction } from '../core/kubevirt/vmRestore.js';
import { ANNOTATION, factFromObject, jsonField as field } from '../core/kinds/index.js';
import { groupDigits } from '../core/quantity.js';
import { canonicalRestoreSize } from '../core/rules/restoreCommon.js';
import { explainVolume } from '../core/rules/vmRestoreInflation.js';
import type { AssessedPvc, VmSnapshotAtRisk } from './explorerModel.js';
import type { ExplorerNode, ExplorerNodeId, ExplorerNodeKind } from '../protocol/explorer.js';

/** Ids of the fixed nodes. */
export const folderIds = {
  context: 'context',
  storageClasses: 'storageClasses',
  volumeSnapshots: 'volumeSnapshots',
  persistentVolumeClaims: 'persistentVolumeClaims',
  vmSnapshotsAtRisk: 'vmSnapshotsAtRisk',
} as const;

export function childId(parent: ExplorerNodeId, ...names: string[]): ExplorerNodeId {
  return [parent, ...names].join('/');
}

/** `group/version` (or `v1`) of a served resource. */
export function apiVersionOf(resource: ApiResource): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** A single informative node (a state, not an object). */
export function stateNode(id: ExplorerNodeId, label: string, tooltip: string, severity?: ExplorerNode['severity'], icon = 'info'): ExplorerNode {
  return { id, kind: 'state', label, tooltip, collapsible: 'none', icon, ...(severity ? { severity } : {}) };
}

export function folderNode(id: ExplorerNodeId, kind: ExplorerNodeKind, label: string, icon: string, description?: string, tooltip?: string): ExplorerNode {
  return { id, kind, label, icon, collapsible: 'collapsed', ...(description ? { description } : {}), ...(tooltip ? { tooltip } : {}) };
}

export function storageClassNode(sc: StorageClassFact, profile: StorageProfileFact | undefined, resource: ApiResource): ExplorerNode {
  const marks = [sc.isDefault ? 'default' : undefined, sc.isDefaultVirt ? 'virt-default' : undefined].filter((m): m is string => m !== undefined);
  const sets = profile?.claimPropertySets ?? [];
  const minimum = profile?.minimumSupportedPvcSizeText;
  const tooltip = [
    `StorageClass ${sc.name}`,
    `provisioner: ${sc.provisioner ?? '(none)'}`,
    ...(marks.length ? [`marked ${marks.join(' and ')}`] : []),
    ...(sc.volumeBindingMode ? [`volumeBindingMode: ${sc.volumeBindingMode}`] : []),
    profile
      ? `StorageProfile: ${sets.length ? `${plural(sets.length, 'claim property set')} from ${profile.claimPropertySetsFrom}` : 'no claimPropertySets (DataVolumes that leave access and volume modes out stay Pending)'}`
      : 'no StorageProfile (CDI is not installed, or has not created one yet)',
    ...(minimum ? [`minimumSupportedPvcSize: ${minimum}`] : []),
  ].join('\n');
  return {
    id: childId(folderIds.storageClasses, sc.name),
    kind: 'storageClass',
    label: sc.name,
    description: [...marks, sc.provisioner ?? 'no provisioner'].join(' · '),
    tooltip,
    icon: marks.length ? 'star-full' : 'database',
    collapsible: profile ? 'collapsed' : 'none',
    ...(profile && sets.length === 0 ? { severity: 'warning' as const } : {}),
    object: { apiVersion: apiVersionOf(resource), kind: 'StorageClass', name: sc.name },
  };
}

/** The StorageProfile's claim property sets (and minimum size) under its StorageClass. */
export function claimPropertySetNodes(sc: string, profile: StorageProfileFact, resource: ApiResource | undefined): ExplorerNode[] {
  const parent = childId(folderIds.storageClasses, sc);
  const object = resource ? { object: { apiVersion: apiVersionOf(resource), kind: 'StorageProfile', name: profile.name } } : {};
  if (profile.claimPropertySets.length === 0) {
    const why = `StorageProfile ${profile.name} has no claimPropertySets: CDI cannot choose access and volume modes for this class.`;
    return [{ ...stateNode(childId(parent, '!none'), 'No claim property sets', why, 'warning', 'warning'), ...object }];
  }
  const nodes = profile.claimPropertySets.map((set, i): ExplorerNode => ({
    id: childId(parent, `!set${i}`),
    kind: 'claimPropertySet',
    label: set.accessModes.join(', ') || '(no access modes)',
    description: `${set.volumeMode ?? 'volume mode unset'} · from ${profile.claimPropertySetsFrom}`,
    tooltip: `StorageProfile ${profile.name}, claimPropertySets[${i}] (${profile.claimPropertySetsFrom})`,
    icon: 'symbol-property',
    collapsible: 'none',
    ...object,
  }));
  if (profile.minimumSupportedPvcSizeText) {
    nodes.push({
      ...stateNode(childId(parent, '!minimum'), `minimum PVC size ${profile.minimumSupportedPvcSizeText}`, `Annotation ${ANNOTATION.minimumSupportedPvcSize}: CDI raises smaller requests to it.`, undefined, 'arrow-up'),
      ...object,
    });
  }
  return nodes;
}

export function namespaceNode(folder: ExplorerNodeId, kind: 'snapshotNamespace' | 'pvcNamespace' | 'vmNamespace' | 'dvNamespace', namespace: string, description: string, severity?: ExplorerNode['severity']): ExplorerNode {
  return { id: childId(folder, namespace), kind, label: namespace, description, icon: 'symbol-namespace', collapsible: 'collapsed', ...(severity ? { severity } : {}) };
}

export function snapshotNode(o: KubeObject, resource: ApiResource): ExplorerNode | undefined {
  const fact = factFromObject('VolumeSnapshot', o, { kind: 'cluster' });
  if (!fact) return undefined;
  const bytes = fact.restoreSizeBytes;
  const restoreSize = bytes === undefined ? undefined : canonicalRestoreSize(fact.restoreSizeText, bytes);
  const error = str(field(o, 'status', 'error', 'message'));
  const ready = fact.readyToUse === true ? 'ready' : 'not ready';
  const tooltip = [
    `VolumeSnapshot ${fact.namespace}/${fact.name}`,
    restoreSize !== undefined && bytes !== undefined ? `restoreSize: ${restoreSize} (${groupDigits(bytes)} bytes)` : 'no restoreSize yet',
    `readyToUse: ${fact.readyToUse ?? 'unknown'}`,
    ...(fact.sourcePvcName ? [`source PVC: ${fact.sourcePvcName}`] : []),
    ...(fact.volumeSnapshotClassName ? [`class: ${fact.volumeSnapshotClassName}`] : []),
    ...(error ? [`error: ${error}`] : []),
  ].join('\n');
  return {
    id: childId(folderIds.volumeSnapshots, fact.namespace, fact.name),
    kind: 'volumeSnapshot',
    label: fact.name,
    description: restoreSize !== undefined ? `${restoreSize} · ${ready}` : `no restoreSize yet · ${ready}`,
    tooltip,
    icon: 'device-camera',
    collapsible: 'none',
    ...(error ? { severity: 'warning' as const } : fact.readyToUse === true && restoreSize !== undefined ? {} : { severity: 'info' as const }),
    object: { apiVersion: apiVersionOf(resource), kind: 'VolumeSnapshot', namespace: fact.namespace, name: fact.name },
    ...(restoreSize !== undefined ? { restoreSize } : {}),
  };
}

export function pvcNode({ object: o, assessment }: AssessedPvc, resource: ApiResource): ExplorerNode | undefined {
  const name = o.metadata?.name;
  if (!name) return undefined;
  const namespace = o.metadata?.namespace ?? '';
  const requested = str(field(o, 'spec', 'resources', 'requests', 'storage'));
  const capacity = str(field(o, 'status', 'capacity', 'storage'));
  const phase = str(field(o, 'status', 'phase'));
  const risk = assessment?.risk;
  const snapshot = assessment && `${assessment.snapshot.namespace}/${assessment.snapshot.name}`;
  const restores = !assessment
    ? []
    : assessment.snapshotFact
      ? [`restores VolumeSnapshot ${snapshot} (restoreSize ${assessment.snapshotFact.restoreSizeText ?? 'not reported yet'})`]
      : [`restores VolumeSnapshot ${snapshot}, which is not in the cluster`];
  // The figures first: a narrow side bar cuts the description from the end.
  const sizes = `${requested ?? '?'} requested · ${capacity !== undefined ? `${capacity} capacity` : 'no capacity yet'}`;
  return {
    id: childId(folderIds.persistentVolumeClaims, namespace, name),
    kind: 'persistentVolumeClaim',
    label: name,
    description: [sizes, phase, risk ? 'at risk' : undefined].filter((p): p is string => p !== undefined).join(' · '),
    tooltip: [
      `PersistentVolumeClaim ${namespace}/${name}`,
      `requested: ${requested ?? '(none)'}; capacity: ${capacity ?? '(not bound yet)'}; phase: ${phase ?? 'unknown'}`,
      ...restores,
      ...(risk ? [`At risk (${risk.rule}): ${risk.message}.`] : []),
    ].join('\n'),
    icon: risk ? (risk.severity === 'error' ? 'error' : 'warning') : 'server',
    collapsible: 'none',
    ...(risk ? { severity: risk.severity === 'error' ? ('error' as const) : ('warning' as const) } : {}),
    object: { apiVersion: apiVersionOf(resource), kind: 'PersistentVolumeClaim', namespace, name },
  };
}

export function vmSnapshotNode({ snapshot, volumes }: VmSnapshotAtRisk, resource: ApiResource): ExplorerNode {
  const messages = volumes.map((v) => explainVolume(v, snapshot.namespace));
  return {
    id: childId(folderIds.vmSnapshotsAtRisk, snapshot.namespace, snapshot.name),
    kind: 'vmSnapshot',
    label: snapshot.name,
    description: `${plural(volumes.length, 'volume')} over restoreSize · ${snapshot.namespace}${snapshot.vmName ? ` · VM ${snapshot.vmName}` : ''}`,
    tooltip: [`Restoring VirtualMachineSnapshot ${snapshot.namespace}/${snapshot.name} will fail:`, ...messages.map((m) => `- ${m}`)].join('\n'),
    icon: 'warning',
    severity: 'warning',
    collapsible: 'collapsed',
    object: { apiVersion: apiVersionOf(resource), kind: 'VirtualMachineSnapshot', namespace: snapshot.namespace, name: snapshot.name },
  };
}

export function vmVolumeNode(parent: ExplorerNodeId, namespace: string, v: VolumeRestorePrediction, snapshots: ApiResource | undefined): ExplorerNode {
  const restore = v.snapshot?.restoreSizeBytes;
  return {
    id: childId(parent, v.pvc.volumeName),
    kind: 'vmSnapshotVolume',
    label: v.pvc.volumeName,
    description: `${groupDigits(v.finalBytes ?? 0n)} bytes > restoreSize ${groupDigits(restore ?? 0n)}`,
    tooltip: explainVolume(v, namespace),
    icon: 'warning',
    severity: 'warning',
    collapsible: 'none',
    ...(v.snapshotName && snapshots ? { object: { apiVersion: apiVersionOf(snapshots), kind: 'VolumeSnapshot', namespace, name: v.snapshotName } } : {}),
  };
}

/** The node that loads the next page of `parent`'s children. */
export function moreNode(parent: ExplorerNodeId | undefined, offset: number, total: number): ExplorerNode {
  return {
    id: childId(parent ?? '', `!more@${offset}`),
    kind: 'more',
    label: 'more…',
    description: `${(total - offset).toLocaleString('en-US')} more of ${total.toLocaleString('en-US')}`,
    icon: 'ellipsis',
    collapsible: 'none',
    more: { ...(parent !== undefined ? { parent } : {}), offset },
  };
}
