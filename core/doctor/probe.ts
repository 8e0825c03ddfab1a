/**
 * `kvstorage doctor --probe`: the restore PVCs the doctor predicts (one per storage class × label × volume mode ×
 * source kind, probe.ts `probeKey`) are sent to the API server as dry-run creates by the CLI; `prediction-mismatch`
 * reports where the cluster's answer differs from the model's prediction, with both figures.
 */
import { predictVmRestore } from '../kubevirt/vmRestore.js';
import type { PvcSpecInput } from '../cdi/render.js';
import { apiVersionOf, kinds } from '../kinds/index.js';
import type { LiveRenderFact } from '../facts.js';
import { compareWithCluster, describeProbeKey, predictStore, probeKey } from '../probe/probe.js';
import { describeLive } from '../probe/stored.js';
import { renderKinds } from '../rules/restoreCommon.js';
import type { Settings } from '../types.js';
import { doctorRestoreTarget } from './snapshots.js';
import type { ClusterFinding, ClusterInventory, DoctorCheck, ResourceRef } from './types.js';

/** One PVC to send: the first of its key the doctor met, and what it stands for. */
export interface ProbeCandidate {
  key: string;
  input: PvcSpecInput;
  /** "restore PVC vms/restore-<uid>-tpm (volume tpm) of VirtualMachineSnapshot vms/snap". */
  describe: string;
  resource: ResourceRef;
  /** How many predicted PVCs share the key. */
  count: number;
}

/** The restore PVCs of the VM snapshots in scope, one per key, in the order met. */
export function probeCandidates(inv: ClusterInventory, namespace: string | undefined, settings: Settings): ProbeCandidate[] {
  const byKey = new Map<string, ProbeCandidate>();
  for (const vs of inv.vmSnapshots(namespace)) {
    const prediction = predictVmRestore(vs.name, doctorRestoreTarget(vs), inv.facts, settings);
    if (!prediction.ok) continue;
    for (const v of prediction.volumes) {
      const key = probeKey(v.pvc.input);
      const seen = byKey.get(key);
      if (seen) {
        seen.count++;
        continue;
      }
      byKey.set(key, {
        key,
        input: v.pvc.input,
        describe: `restore PVC ${vs.namespace}/${v.pvc.name} (volume ${v.pvc.volumeName}) of VirtualMachineSnapshot ${vs.namespace}/${vs.name}`,
        resource: { apiVersion: apiVersionOf(kinds.VirtualMachineSnapshot), kind: 'VirtualMachineSnapshot', namespace: vs.namespace, name: vs.name },
        count: 1,
      });
    }
  }
  return [...byKey.values()];
}

/** A candidate and the cluster's answer to it. */
export interface ProbeResult {
  candidate: ProbeCandidate;
  answer: LiveRenderFact;
}

/** The differences of one probe, as a finding; undefined when the cluster agrees. */
export function mismatchFinding(p: ProbeResult, inv: ClusterInventory, settings: Settings): ClusterFinding | undefined {
  const predicted = predictStore(p.candidate.input, inv.facts, settings);
  const diffs = compareWithCluster(predicted, p.answer);
  if (diffs.length === 0) return undefined;
  const words = diffs.map((d) => `${d.field}: the cluster ${d.cluster}, the model ${d.predicted}`).join('; ');
  const others = p.candidate.count > 1 ? ` It stands for ${p.candidate.count} predicted restore PVCs of the same kind.` : '';
  return {
    rule: 'prediction-mismatch',
    severity: 'warning',
    message:
      `${describeLive(p.answer)} (${describeProbeKey(p.candidate.input)}) differs from the prediction: ${words}. ` +
      `The cluster's answer is what a restore gets; diagnostics for this kind of PVC now use it.${others} ` +
      `The model used: ${predicted.render.factsUsed.join('; ')}.`,
    resource: p.candidate.resource,
    data: {
      key: p.candidate.key,
      fields: diffs.map((d) => d.field).join(','),
      ...Object.fromEntries(diffs.flatMap((d) => [[`${d.field}Predicted`, d.predicted], [`${d.field}Cluster`, d.cluster]])),
    },
  };
}

export const predictionMismatch: DoctorCheck = {
  id: 'prediction-mismatch',
  defaultSeverity: 'warning',
  title: "The cluster's answer differs from the prediction",
  description:
    "kvstorage doctor --probe: a server-side dry-run create (dryRun=All, nothing stored) of a restore PVC got a request, storage class, volume or access mode other than predicted; the cluster's answer is what counts.",
  reads: 'cluster',
  kinds: ['VirtualMachineSnapshot', 'VirtualMachineSnapshotContent', 'VolumeSnapshot'],
  alsoReads: renderKinds,
  run: (inv, _scope, settings) => (inv.probes?.() ?? []).flatMap((p) => mismatchFinding(p, inv, settings) ?? []),
};
