/**
 * Would the cluster change or block a planned restore? The PVCs it creates are the staging PVCs (in the namespace
 * the controller runs its pods in: the OADP namespace, getPodNamespace at 3fd10b9a) and the target PVCs (in the
 * VM's namespace, or the restore's mapped one), all of the target's storage class. Two things in the cluster
 * matter: the class's StorageProfile minimum (`cdi.kubevirt.io/minimumSupportedPvcSize`: CDI applies it only to
 * the PVCs it renders, which these are not, so a smaller request is left to the provisioner, which may round it up
 * or refuse it) and ResourceQuotas (requests.storage and PVC counts, overall and per class).
 */
import { ANNOTATION } from '../kinds/index.js';
import { ownValue } from '../own.js';
import { groupDigits, humanBytes, parseQuantity } from '../quantity.js';
import type { Severity } from '../types.js';
import type { BackupPlan } from './plan.js';
import type { DatamoverRule } from './rules.js';

export interface QuotaFact {
  namespace: string;
  name: string;
  /** spec.hard (quantities as written). */
  hard: Record<string, string>;
  /** status.used. */
  used: Record<string, string>;
}

export interface RestoreClusterFacts {
  /** The class the PVCs get: the one asked for, else the cluster's default. */
  storageClass?: string;
  /** The class's StorageProfile `cdi.kubevirt.io/minimumSupportedPvcSize`, when set. */
  minimum?: string;
  /** ResourceQuotas of the namespaces the PVCs go to. */
  quotas: QuotaFact[];
}

/** A problem of a plan: a finding, or (from the cluster) one that belongs to no file. */
export interface PlanProblem {
  rule: DatamoverRule;
  severity: Severity;
  message: string;
  data?: Record<string, string>;
}

export interface Namespaces {
  /** Where the staging PVCs go (the OADP namespace). */
  staging: string;
  /** Where the target PVCs go; the VM's own namespace when undefined. */
  target?: string;
}

export interface ClusterOutcome {
  problems: PlanProblem[];
  /** Staging bytes per VM after the minimum (`namespace/vm` → bytes), when it raises any. */
  raised: Map<string, bigint>;
}

interface NewPvc {
  namespace: string;
  bytes?: bigint;
  what: string;
}

export function checkCluster(plan: BackupPlan, facts: RestoreClusterFacts, ns: Namespaces): ClusterOutcome {
  const out: ClusterOutcome = { problems: [], raised: new Map() };
  const pvcs: NewPvc[] = [];
  for (const vm of plan.vms) {
    for (const d of vm.disks) {
      for (const s of d.staging) pvcs.push({ namespace: ns.staging, bytes: s.bytes, what: `the ${s.role} PVC of ${vm.namespace}/${vm.vm} disk ${d.disk}` });
      pvcs.push({ namespace: ns.target ?? vm.namespace, ...(d.targetBytes === undefined ? {} : { bytes: d.targetBytes }), what: `target PVC ${d.pvc}` });
    }
  }
  const min = facts.minimum === undefined ? undefined : parseQuantity(facts.minimum);
  if (min?.ok && min.quantity.bytes > 0n) {
    const floor = min.quantity.bytes;
    const small = pvcs.filter((p) => p.bytes !== undefined && p.bytes < floor);
    if (small.length > 0) {
      out.problems.push({
        rule: 'datamover-storage-minimum',
        severity: 'warning',
        message: `the StorageProfile of ${facts.storageClass ?? 'the class'} has a minimum of ${facts.minimum} (${ANNOTATION.minimumSupportedPvcSize}); ${small.length} PVC(s) ask for less (${small.map((p) => `${p.what}: ${humanBytes(p.bytes!)}`).join('; ')}) and may be rounded up or refused`,
        data: { minimumBytes: floor.toString() },
      });
    }
    for (const vm of plan.vms) {
      const raised = vm.disks.flatMap((d) => d.staging.map((s) => (s.bytes < floor ? floor : s.bytes))).reduce((a, b) => a + b, 0n);
      if (raised !== vm.scratchBytes) out.raised.set(`${vm.namespace}/${vm.vm}`, raised);
    }
  } else if (min && !min.ok) {
    out.problems.push({ rule: 'datamover-storage-minimum', severity: 'info', message: `the StorageProfile's minimumSupportedPvcSize ${JSON.stringify(facts.minimum)} is not a quantity (${min.error}); not applied` });
  }
  for (const q of facts.quotas) out.problems.push(...quotaProblems(q, pvcs.filter((p) => p.namespace === q.namespace), facts.storageClass));
  return out;
}

function quotaProblems(q: QuotaFact, pvcs: readonly NewPvc[], storageClass: string | undefined): PlanProblem[] {
  if (pvcs.length === 0) return [];
  const bytes = pvcs.reduce((a, p) => a + (p.bytes ?? 0n), 0n);
  const count = BigInt(pvcs.length);
  const keys: [string, bigint, 'bytes' | 'count'][] = [
    ['requests.storage', bytes, 'bytes'],
    ['persistentvolumeclaims', count, 'count'],
    ['count/persistentvolumeclaims', count, 'count'],
  ];
  if (storageClass) {
    keys.push([`${storageClass}.storageclass.storage.k8s.io/requests.storage`, bytes, 'bytes'], [`${storageClass}.storageclass.storage.k8s.io/persistentvolumeclaims`, count, 'count']);
  }
  const out: PlanProblem[] = [];
  for (const [key, need, unit] of keys) {
    const hardText = ownValue(q.hard, key);
    const usedText = ownValue(q.used, key);
    const hard = hardText === undefined ? undefined : parseQuantity(hardText);
    if (!hard?.ok) continue;
    const used = usedText === undefined ? undefined : parseQuantity(usedText);
    const usedBytes = used?.ok ? used.quantity.bytes : 0n;
    const left = hard.quantity.bytes - usedBytes;
    if (need <= left) continue;
    const show = (n: bigint) => (unit === 'bytes' ? `${humanBytes(n)} (${groupDigits(n)} bytes)` : n.toString());
    out.push({
      rule: 'datamover-quota-exceeded',
      severity: 'error',
      message: `ResourceQuota ${q.namespace}/${q.name} leaves ${show(left < 0n ? 0n : left)} of ${key} (hard ${hardText}, used ${usedText ?? '0'}); the restore's ${pvcs.length} PVC(s) in ${q.namespace} need ${show(need)}`,
      data: { quota: `${q.namespace}/${q.name}`, key, need: need.toString(), left: left.toString() },
    });
  }
  return out;
}
