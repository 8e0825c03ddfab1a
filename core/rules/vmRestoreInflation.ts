/**
 * `vm-restore-inflation`: a VirtualMachineRestore whose restore PVCs will ask for more than their
 * VolumeSnapshot's restoreSize once KubeVirt has built them and CDI's webhook has rendered them — typically
 * the TPM/EFI persistent-state PVC, which carries cdi.kubevirt.io/applyStorageProfile=true.
 */
import type { VolumeRestorePrediction } from '../kubevirt/vmRestore.js';
import { predictVmRestore } from '../kubevirt/vmRestore.js';
import type { VolumeRestoreOverride } from '../kubevirt/restorePvc.js';
import { LABEL } from '../kinds/index.js';
import { groupDigits } from '../quantity.js';
import type { Resource } from '../resources.js';
import { at } from '../resources.js';
import type { Finding, Settings } from '../types.js';
import type { Facts } from '../facts.js';
import { locate, scalarString, sequenceNodes, stringMap } from '../yaml/documents.js';
import { renderKinds, strictness } from './restoreCommon.js';
import type { Rule } from './rule.js';

function overrides(r: Resource): VolumeRestoreOverride[] {
  return sequenceNodes(r.doc, at(r, 'spec', 'volumeRestoreOverrides')).map((_: unknown, i: number) => ({
    volumeName: scalarString(r.doc, at(r, 'spec', 'volumeRestoreOverrides', i, 'volumeName')) ?? '',
    restoreName: scalarString(r.doc, at(r, 'spec', 'volumeRestoreOverrides', i, 'restoreName')),
    labels: stringMap(r.doc, at(r, 'spec', 'volumeRestoreOverrides', i, 'labels')),
    annotations: stringMap(r.doc, at(r, 'spec', 'volumeRestoreOverrides', i, 'annotations')),
  }));
}

/** What to do about a VM restore that will fail (the lint rule's and the doctor's messages). */
export const vmRestoreFix = 'Deploy the restore-size webhook before restoring (kvstorage apply webhook), or upgrade CDI to v1.64 or later.';

/** Why the volume ends above restoreSize, in words. */
export function explainVolume(v: VolumeRestorePrediction, snapshotNamespace: string): string {
  const restore = v.snapshot?.restoreSizeBytes ?? 0n;
  const requested = v.pvc.requestBytes;
  const head = `restore PVC ${v.pvc.name} (volume ${v.pvc.volumeName})`;
  const snap = `VolumeSnapshot ${snapshotNamespace}/${v.snapshotName}'s restoreSize ${v.snapshot?.restoreSizeText} (${groupDigits(restore)} bytes)`;
  if (v.render.webhookApplies && v.render.inflated && v.render.renderedBytes !== undefined) {
    return (
      `${head} carries ${LABEL.applyStorageProfile}=true (copied from the snapshotted PVC); CDI's PVC webhook will inflate it ` +
      `from ${groupDigits(requested ?? 0n)} to ${groupDigits(v.render.renderedBytes)} bytes (overhead ${v.render.overhead} from ` +
      `${v.render.overheadSource}; ${v.render.cdi.describe}), above ${snap}`
    );
  }
  return `${head} will ask for ${groupDigits(v.finalBytes ?? 0n)} bytes (the snapshotted PVC's request), above ${snap}`;
}

/** The figures of one restored volume, for a finding's data (shared with the doctor). */
export function vmRestoreData(v: VolumeRestorePrediction, namespace: string, provisioner: string | undefined): Record<string, string> {
  return {
    volume: v.pvc.volumeName,
    requestedBytes: String(v.pvc.requestBytes ?? ''),
    predictedBytes: String(v.finalBytes ?? ''),
    restoreSizeBytes: String(v.snapshot?.restoreSizeBytes ?? ''),
    overhead: v.render.overhead ?? '',
    cdiVersion: v.render.cdi.version,
    snapshot: `${namespace}/${v.snapshotName}`,
    ...(provisioner ? { provisioner } : {}),
  };
}

export function vmRestoreFindings(file: string, r: Resource, facts: Facts, settings: Settings): Finding[] {
  const snapshotName = scalarString(r.doc, at(r, 'spec', 'virtualMachineSnapshotName'));
  const where = locate(r.doc, at(r, 'spec', 'virtualMachineSnapshotName'));
  if (!snapshotName || !where || !r.name) return [];
  const namespace = r.namespace ?? settings.defaultNamespace;
  const prediction = predictVmRestore(
    snapshotName,
    {
      restoreName: r.name,
      namespace,
      targetVmName: scalarString(r.doc, at(r, 'spec', 'target', 'name')),
      volumeRestorePolicy: scalarString(r.doc, at(r, 'spec', 'volumeRestorePolicy')),
      overrides: overrides(r),
    },
    facts,
    settings,
  );
  if (!prediction.ok) return [];
  return prediction.volumes
    .filter((v) => v.exceeds)
    .map((v): Finding => {
      const provisioner = v.render.storageClassName ? facts.storageClass(v.render.storageClassName)?.provisioner : undefined;
      const { severity, why } = strictness(provisioner, settings);
      return {
        rule: 'vm-restore-inflation',
        severity,
        message: `Restoring VirtualMachineSnapshot ${namespace}/${snapshotName}: ${explainVolume(v, namespace)}; ${why}. ${vmRestoreFix}`,
        file,
        range: where.range,
        data: { ...vmRestoreData(v, namespace, provisioner), restorePvc: v.pvc.name },
      };
    });
}

export const vmRestoreInflation: Rule = {
  id: 'vm-restore-inflation',
  defaultSeverity: 'warning',
  title: "A VM restore whose PVCs will exceed their snapshots' restoreSize",
  description:
    `Restoring this VirtualMachineSnapshot creates PVCs (typically the TPM/EFI persistent state, labelled ${LABEL.applyStorageProfile}=true) that CDI's webhook inflates above the VolumeSnapshot's restoreSize; strict CSI drivers refuse them.`,
  reads: 'facts',
  kinds: ['VirtualMachineRestore', 'VirtualMachineSnapshot', 'VirtualMachineSnapshotContent', 'VolumeSnapshot', ...renderKinds],
  run(ctx) {
    return ctx.resources.filter((r) => r.kind === 'VirtualMachineRestore').flatMap((r) => vmRestoreFindings(ctx.file, r, ctx.facts, ctx.settings));
  },
};
