/**
 * `vm-restore-inflation`: a VirtualMachineRestore whose restore PVCs will ask for more than their
 * VolumeSnapshot's restoreSize once KubeVirt has built them and CDI's webhook has rendered them — typically
 * the TPM/EFI persistent-state PVC, which carries cdi.kubevirt.io/applyStorageProfile=true.
 */
import type { VolumeRestorePrediction } from '../kubevirt/vmRestore.js';
import { predictVmRestore } from '../kubevirt/vmRestore.js';
import type { RestoreTarget, VolumeRestoreOverride } from '../kubevirt/restorePvc.js';
import { describeOlder } from '../cdi/olderReleases.js';
import { LABEL } from '../kinds/index.js';
import { groupDigits } from '../quantity.js';
import type { Resource } from '../resources.js';
import { at } from '../resources.js';
import type { Finding, Settings, Severity } from '../types.js';
import type { Facts } from '../facts.js';
import { locate, scalarString, sequenceNodes, stringMap } from '../yaml/documents.js';
import { factsSentence, renderKinds, strictness, strictnessFor } from './restoreCommon.js';
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
  const inflatedByCdi = v.stored.basis === 'live' ? v.finalBytes !== requested : v.render.webhookApplies && v.render.inflated && v.render.renderedBytes !== undefined;
  if (inflatedByCdi) {
    const will = v.stored.basis !== 'live' && v.render.uncertain.length > 0 ? 'may inflate' : 'will inflate';
    return (
      `${head} carries ${LABEL.applyStorageProfile}=true (copied from the snapshotted PVC); CDI's PVC webhook ${will} it ` +
      `from ${groupDigits(requested ?? 0n)} to ${groupDigits(v.finalBytes ?? 0n)} bytes, above ${snap}`
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
    basis: v.stored.basis,
    snapshot: `${namespace}/${v.snapshotName}`,
    ...(provisioner ? { provisioner } : {}),
  };
}

/** The severity, message and figures of one volume's finding, or none (shared with the doctor). */
export function volumeFinding(v: VolumeRestorePrediction, namespace: string, vmSnapshot: string, facts: Facts, settings: Settings): { severity: Severity; message: string; data: Record<string, string> } | undefined {
  const head = `Restoring VirtualMachineSnapshot ${namespace}/${vmSnapshot}`;
  const first = v.olderExceed[0];
  if (!v.exceeds && first) {
    const provisioner = first.render.storageClassName ? facts.storageClass(first.render.storageClassName)?.provisioner : undefined;
    return {
      severity: 'info',
      message:
        `${head}: ${v.render.cdi.describe}, whose PVC webhook leaves restore PVC ${v.pvc.name} (volume ${v.pvc.volumeName}) at ` +
        `${groupDigits(v.finalBytes ?? 0n)} bytes. Older releases would inflate it above VolumeSnapshot ${namespace}/${v.snapshotName}'s restoreSize ` +
        `${v.snapshot?.restoreSizeText} (${groupDigits(v.snapshot?.restoreSizeBytes ?? 0n)} bytes): ${describeOlder(v.olderExceed)}; ${strictness(provisioner, settings).why}. ` +
        `Set the CDI version to check this cluster's.${factsSentence(first.render.factsUsed.slice(1))}`,
      data: Object.assign(vmRestoreData(v, namespace, provisioner), { olderReleases: v.olderExceed.map((o) => `${o.version}=${o.bytes}`).join(',') }),
    };
  }
  if (!v.exceeds) return undefined;
  const provisioner = v.render.storageClassName ? facts.storageClass(v.render.storageClassName)?.provisioner : undefined;
  const uncertain = v.stored.basis === 'live' || !v.render.webhookApplies ? [] : v.render.uncertain;
  const { severity, why } = strictnessFor(provisioner, settings, uncertain);
  const maybe = uncertain.length > 0 ? ` It may not: ${uncertain.join('; ')}.` : '';
  return {
    severity,
    message: `${head}: ${explainVolume(v, namespace)}; ${why}.${maybe} ${vmRestoreFix}${factsSentence(v.render.factsUsed, v.stored)}`,
    data: Object.assign(vmRestoreData(v, namespace, provisioner), uncertain.length > 0 ? { uncertain: 'true' } : {}),
  };
}

export function vmRestoreFindings(file: string, r: Resource, facts: Facts, settings: Settings): Finding[] {
  const snapshotName = scalarString(r.doc, at(r, 'spec', 'virtualMachineSnapshotName'));
  const where = locate(r.doc, at(r, 'spec', 'virtualMachineSnapshotName'));
  if (!snapshotName || !where || !r.name) return [];
  const namespace = r.namespace ?? settings.defaultNamespace;
  const target = restoreTargetOf(r, namespace);
  const prediction = predictVmRestore(snapshotName, target, facts, settings);
  if (!prediction.ok) return [];
  // The restore PVC names depend on the KubeVirt release only where the restore asks for a policy or names (v1.6+).
  const byVersion = target.volumeRestorePolicy !== undefined || target.overrides.length > 0;
  const version: { sentence: string; data: Record<string, string> } = byVersion
    ? { sentence: ` Restore PVC named as ${prediction.kubevirt.describe}.`, data: { kubevirtVersion: prediction.kubevirt.version } }
    : { sentence: '', data: {} };
  return prediction.volumes.flatMap((v): Finding[] => {
    const f = volumeFinding(v, namespace, snapshotName, facts, settings);
    return f ? [{ rule: 'vm-restore-inflation', ...f, message: f.message + version.sentence, file, range: where.range, data: { ...f.data, restorePvc: v.pvc.name, ...version.data } }] : [];
  });
}

/** A VirtualMachineRestore manifest as KubeVirt's restore controller reads it (its uid when the object holds one). */
export function restoreTargetOf(r: Resource, namespace: string): RestoreTarget {
  const uid = scalarString(r.doc, at(r, 'metadata', 'uid'));
  return {
    restoreName: r.name ?? '',
    ...(uid ? { restoreUid: uid } : {}),
    namespace,
    targetVmName: scalarString(r.doc, at(r, 'spec', 'target', 'name')),
    volumeRestorePolicy: scalarString(r.doc, at(r, 'spec', 'volumeRestorePolicy')),
    overrides: overrides(r),
  };
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
