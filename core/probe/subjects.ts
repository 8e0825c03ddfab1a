/**
 * What "Check with the cluster" sends for a position in a manifest: the PVC as written (a PersistentVolumeClaim or
 * a StatefulSet volumeClaimTemplate), or, on a VirtualMachineRestore, each restore PVC KubeVirt would create.
 */
import type { PvcSpecInput } from '../cdi/render.js';
import { claimsOf } from '../claims.js';
import type { Facts } from '../facts.js';
import { predictVmRestore } from '../kubevirt/vmRestore.js';
import type { Resource } from '../resources.js';
import { restoreTargetOf } from '../rules/vmRestoreInflation.js';
import type { Position, Settings } from '../types.js';
import type { YamlDoc, YamlPath } from '../yaml/documents.js';
import { nodeAtPosition, scalarString } from '../yaml/documents.js';

export interface ProbeSubject {
  input: PvcSpecInput;
  /** "PersistentVolumeClaim vms/restore-tpm", "restore PVC vms/restore-<uid>-tpm (volume tpm) of VirtualMachineRestore vms/r". */
  describe: string;
}

export type ProbeSubjects = { ok: true; subjects: ProbeSubject[] } | { ok: false; reason: string };

const startsWith = (a: YamlPath, prefix: YamlPath) => prefix.every((x, i) => a[i] === x);

/** The PVCs to send for the object at `pos`, or why there are none. */
export function probeSubjectsAt(d: YamlDoc | undefined, resources: Resource[], pos: Position, facts: Facts, settings: Settings): ProbeSubjects {
  const at = d && nodeAtPosition(d, pos);
  const r = d && at ? resources.find((x) => x.doc === d && startsWith(at.path, x.base)) : undefined;
  if (!d || !at || !r) return { ok: false, reason: 'no PersistentVolumeClaim or VirtualMachineRestore here' };
  if (r.kind === 'VirtualMachineRestore') {
    const namespace = r.namespace ?? settings.defaultNamespace;
    const snapshot = scalarString(d, [...r.base, 'spec', 'virtualMachineSnapshotName']);
    if (!snapshot || !r.name) return { ok: false, reason: `VirtualMachineRestore ${r.name ?? '(unnamed)'} names no spec.virtualMachineSnapshotName` };
    const p = predictVmRestore(snapshot, restoreTargetOf(r, namespace), facts, settings);
    if (!p.ok) return { ok: false, reason: p.reason };
    return {
      ok: true,
      subjects: p.volumes.map((v) => ({ input: v.pvc.input, describe: `restore PVC ${namespace}/${v.pvc.name} (volume ${v.pvc.volumeName}) of VirtualMachineRestore ${namespace}/${r.name}` })),
    };
  }
  const claim = claimsOf(d, resources).find((c) => startsWith(at.path, [...c.objectPath]));
  if (!claim) return { ok: false, reason: `no PersistentVolumeClaim or VirtualMachineRestore here (a ${r.kind}${r.name ? ` ${r.name}` : ''})` };
  const namespace = claim.namespace ?? settings.defaultNamespace;
  return { ok: true, subjects: [{ input: { ...claim.spec, namespace }, describe: `${claim.describe} in namespace ${namespace}` }] };
}
