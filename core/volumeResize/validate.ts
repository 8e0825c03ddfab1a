/**
 * Will a VolumeResize work? What migcontroller's operator checks in its Validating phase
 * (internal/controller/validation.go at 1ffafc1: the StatefulSet exists, each volume is a claim template, newSize
 * below replica 0's request, no PodDisruptionBudget with disruptionsAllowed < 1 matching the pod labels), done
 * before apply and done more carefully: newSize against every replica's PVC and against the data in use, ReadWriteMany
 * volumes, storage classes that never bind, and an operator that is not installed. One function for the editor's
 * rules, `lint` and the start operation; each problem names its rule and the field it is about.
 */
import type { Facts, PdbFact, PvcFact, StatefulSetFact, VolumeUsageFact } from '../facts.js';
import { formatBytes, groupDigits, parseQuantity } from '../quantity.js';
import type { Severity } from '../types.js';
import { originalPvcName, replicaPodName, tempPvcName, type VolumeTarget } from './model.js';

export const VOLUME_RESIZE_RULES = [
  'volumeresize-operator-missing',
  'volumeresize-statefulset-not-found',
  'volumeresize-unknown-volume',
  'volumeresize-not-smaller',
  'volumeresize-below-used',
  'volumeresize-pdb-blocks',
  'volumeresize-rwx',
  'volumeresize-storageclass-not-found',
] as const;
export type VolumeResizeRuleId = (typeof VOLUME_RESIZE_RULES)[number];

/** The field a problem is about: the rules turn it into a range, the start operation into words. */
export type ProblemAt = { field: 'kind' } | { field: 'statefulSetName' } | { volume: number; field: 'name' | 'newSize' | 'storageClass' };

export interface ResizeProblem {
  rule: VolumeResizeRuleId;
  severity: Severity;
  message: string;
  at: ProblemAt;
  /** A value the field could take instead (a claim template's name, a size that fits the data). */
  replace?: { title: string; value: string }[];
  data?: Record<string, string>;
}

/** What the resize asks for: a VolumeResize's spec, with its namespace. */
export interface ResizeRequest {
  namespace: string;
  statefulSetName: string;
  volumes: readonly VolumeTarget[];
}

/** One replica × volume the operator will move, as validation saw it. */
export interface ResizeCell {
  replica: number;
  volume: string;
  pvcName: string;
  pvc?: PvcFact;
  newBytes?: bigint;
  usage?: VolumeUsageFact;
}

export interface Validation {
  problems: ResizeProblem[];
  statefulSet?: StatefulSetFact;
  cells: ResizeCell[];
}

/** Data within this share above the usage is too tight: rclone's copy needs room, filesystems overhead. */
export const HEADROOM_PERCENT = 10n;

const sized = (text: string, bytes: bigint): string => `${text} (${groupDigits(bytes)} bytes)`;

function listed(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * A size with room above `usedBytes` (25 %), rounded up to whole MiB (whole GiB from 10 GiB): the size completion
 * suggests and the below-used fix writes.
 */
export function suggestedSize(usedBytes: bigint): string {
  const wanted = (usedBytes * 125n + 99n) / 100n;
  const gib = 1024n ** 3n;
  const unit = wanted >= 10n * gib ? gib : 1024n ** 2n;
  const units = (wanted + unit - 1n) / unit;
  return `${units > 0n ? units : 1n}${unit === gib ? 'Gi' : 'Mi'}`;
}

/** The operator's PDB match (validation.go): `matchLabels` only, an empty set selecting every pod; no selector, none. */
export function pdbSelects(pdb: PdbFact, podLabels: Record<string, string>): boolean {
  if (!pdb.hasSelector) return false;
  return Object.entries(pdb.matchLabels).every(([k, v]) => Object.hasOwn(podLabels, k) && podLabels[k] === v);
}

/** intstr's GetScaledValueFromIntOrPercent with roundUp (what the disruption controller uses). */
function scaled(text: string, total: number): number | undefined {
  const pct = /^(\d+)%$/.exec(text.trim());
  if (pct) return Math.ceil((Number(pct[1]) * total) / 100);
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** disruptionsAllowed as reported, else as the disruption controller will compute it with every pod healthy. */
export function allowedDisruptions(pdb: PdbFact, replicas: number): { allowed: number; predicted: boolean; why: string } | undefined {
  if (pdb.disruptionsAllowed !== undefined) return { allowed: pdb.disruptionsAllowed, predicted: false, why: `status.disruptionsAllowed ${pdb.disruptionsAllowed}` };
  if (pdb.maxUnavailable !== undefined) {
    const n = scaled(pdb.maxUnavailable, replicas);
    return n === undefined ? undefined : { allowed: Math.min(n, replicas), predicted: true, why: `maxUnavailable ${pdb.maxUnavailable} of ${replicas} replicas` };
  }
  if (pdb.minAvailable !== undefined) {
    const m = scaled(pdb.minAvailable, replicas);
    return m === undefined ? undefined : { allowed: Math.max(0, replicas - m), predicted: true, why: `minAvailable ${pdb.minAvailable} of ${replicas} replicas` };
  }
  return undefined;
}

/** Validates a resize against what the facts know (workspace files, the cluster, the kubelets' stats). */
export function validateResize(req: ResizeRequest, facts: Facts): Validation {
  const problems: ResizeProblem[] = [];
  const context = facts.connectedContext?.();
  const where = (ns: string) => (context ? `the analysed files or namespace ${ns} of context ${context}` : 'the analysed files');

  if (facts.serves?.('VolumeResize') === false) {
    problems.push({
      rule: 'volumeresize-operator-missing',
      severity: 'error',
      message:
        `The cluster${context ? ` (context ${context})` : ''} does not serve volumeresizes.storage.maurice.fr/v1alpha1: the VolumeResize operator ` +
        `(thomas-maurice/migcontroller) is not installed, so applying this fails ("no matches for kind VolumeResize") and nothing would act on it. ` +
        `Install its CRD and operator first (make install && make deploy in migcontroller).`,
      at: { field: 'kind' },
    });
  }
  req.volumes.forEach((v, i) => checkOverrideClass(req, v, i, facts, context, problems));

  const sts = facts.statefulSet?.(req.namespace, req.statefulSetName);
  if (!sts) {
    if (req.statefulSetName) {
      problems.push({
        rule: 'volumeresize-statefulset-not-found',
        severity: context ? 'error' : 'info',
        message: context
          ? `StatefulSet ${req.namespace}/${req.statefulSetName} is not in ${where(req.namespace)}: the operator fails the migration at once ("StatefulSet ${req.statefulSetName} not found").`
          : `StatefulSet ${req.namespace}/${req.statefulSetName} is in none of the analysed files; connect a cluster to check it, its volumes and their sizes.`,
        at: { field: 'statefulSetName' },
      });
    }
    return { problems, cells: [] };
  }

  const templates = new Map(sts.volumeClaimTemplates.map((t) => [t.name, t]));
  const cells: ResizeCell[] = [];
  req.volumes.forEach((v, i) => {
    const template = templates.get(v.name);
    if (!template) {
      const names = sts.volumeClaimTemplates.map((t) => t.name);
      const unused = names.filter((n) => !req.volumes.some((x) => x.name === n));
      problems.push({
        rule: 'volumeresize-unknown-volume',
        severity: 'error',
        message:
          `Volume "${v.name}" is not one of StatefulSet ${sts.name}'s volumeClaimTemplates (${names.length ? names.join(', ') : 'it has none'}): ` +
          `the operator fails the migration ("volume \\"${v.name}\\" not found in StatefulSet volumeClaimTemplates").`,
        at: { volume: i, field: 'name' },
        replace: unused.map((n) => ({ title: `Use volume "${n}"`, value: n })),
      });
      return;
    }
    const q = parseQuantity(v.newSize);
    const newBytes = q.ok ? q.quantity.bytes : undefined;
    const mine: ResizeCell[] = [];
    for (let r = 0; r < sts.replicas; r++) {
      const pvcName = originalPvcName(v.name, sts.name, r);
      const pvc = facts.persistentVolumeClaim?.(req.namespace, pvcName);
      const usage = pvc ? facts.volumeUsage?.(req.namespace, pvcName, replicaPodName(sts.name, r)) : undefined;
      mine.push({ replica: r, volume: v.name, pvcName, ...(pvc ? { pvc } : {}), ...(newBytes !== undefined ? { newBytes } : {}), ...(usage ? { usage } : {}) });
    }
    cells.push(...mine);
    if (newBytes !== undefined) {
      checkSmaller(req, sts, v, i, template.requestText, template.requestBytes, newBytes, mine, context, problems);
      checkUsed(v, i, newBytes, mine, problems);
    }
    checkRwx(v, i, template.accessModes, mine, problems);
    checkClass(sts, v, i, mine, facts, problems);
  });
  checkPdbs(req, sts, facts, problems);
  return { problems, statefulSet: sts, cells };
}

function checkSmaller(
  req: ResizeRequest,
  sts: StatefulSetFact,
  v: VolumeTarget,
  i: number,
  templateText: string | undefined,
  templateBytes: bigint | undefined,
  newBytes: bigint,
  cells: readonly ResizeCell[],
  context: string | undefined,
  problems: ResizeProblem[],
): void {
  const at: ProblemAt = { volume: i, field: 'newSize' };
  const missing = context ? cells.filter((c) => !c.pvc) : [];
  if (missing.length > 0) {
    problems.push({
      rule: 'volumeresize-not-smaller',
      severity: 'error',
      message:
        `${listed(missing.map((c) => `replica ${c.replica} has no PVC ${c.pvcName}`))} in namespace ${req.namespace}: the operator fails the migration ` +
        `${missing.some((c) => c.replica === 0) ? 'at validation' : 'when it gets there, with the StatefulSet already deleted'} ("failed to get PVC ...").`,
      at,
    });
  }
  const known = cells.filter((c) => c.pvc?.requestBytes !== undefined);
  if (known.length === 0) {
    if (context || templateBytes === undefined || newBytes < templateBytes) return;
    problems.push({
      rule: 'volumeresize-not-smaller',
      severity: 'warning',
      message:
        `newSize ${sized(v.newSize, newBytes)} is not smaller than StatefulSet ${sts.name}'s volumeClaimTemplate ${v.name} (${templateText}): unless its PVCs ` +
        `were expanded since, there is nothing to shrink, and the operator refuses a newSize that is not strictly smaller than replica 0's PVC.`,
      at,
    });
    return;
  }
  const bad = known.filter((c) => newBytes >= c.pvc!.requestBytes!);
  if (bad.length === 0) return;
  const onlyLater = bad.every((c) => c.replica !== 0);
  problems.push({
    rule: 'volumeresize-not-smaller',
    severity: 'error',
    message:
      `newSize ${sized(v.newSize, newBytes)} is not smaller than the PVC of ${listed(bad.map((c) => `replica ${c.replica} (${c.pvcName} asks for ${c.pvc!.requestText})`))}: ` +
      `a VolumeResize must shrink every replica. ` +
      (onlyLater
        ? `The operator checks replica 0 alone, so it would start, and copy ${bad.length === 1 ? 'that replica' : 'those replicas'} into a volume no smaller than before.`
        : `The operator refuses it ("newSize (${v.newSize}) must be smaller than current size (${known.find((c) => c.replica === 0)?.pvc?.requestText ?? '?'}) for volume ${v.name}").`),
    at,
    data: { replicas: bad.map((c) => String(c.replica)).join(','), newSizeBytes: String(newBytes) },
  });
}

function checkUsed(v: VolumeTarget, i: number, newBytes: bigint, cells: readonly ResizeCell[], problems: ResizeProblem[]): void {
  const at: ProblemAt = { volume: i, field: 'newSize' };
  const known = cells.flatMap((c) => (c.usage?.state === 'known' ? [{ c, used: c.usage.usedBytes, node: c.usage.node }] : []));
  const over = known.filter((k) => newBytes < k.used);
  const tight = known.filter((k) => newBytes >= k.used && newBytes * 100n < k.used * (100n + HEADROOM_PERCENT));
  const most = known.reduce((m, k) => (k.used > m ? k.used : m), 0n);
  const suggestion = suggestedSize(most);
  const smallest = cells.reduce<bigint | undefined>((m, c) => (c.pvc?.requestBytes !== undefined && (m === undefined || c.pvc.requestBytes < m) ? c.pvc.requestBytes : m), undefined);
  const sq = parseQuantity(suggestion);
  const replace = sq.ok && (smallest === undefined || sq.quantity.bytes < smallest) ? [{ title: `Set newSize to ${suggestion} (the most data in use, ${formatBytes(most)}, plus 25 %)`, value: suggestion }] : [];
  const usedText = (k: { c: ResizeCell; used: bigint; node: string }) => `replica ${k.c.replica} holds ${sized(formatBytes(k.used), k.used)} on ${k.c.pvcName}`;
  if (over.length > 0) {
    problems.push({
      rule: 'volumeresize-below-used',
      severity: 'error',
      message:
        `newSize ${sized(v.newSize, newBytes)} is below the data in use: ${listed(over.map(usedText))} (the kubelet's stats). rclone cannot fit it: ` +
        `the migrator pod fails, and the migration stops Failed with the StatefulSet deleted.`,
      at,
      replace,
      data: { usedBytes: String(most) },
    });
  }
  if (tight.length > 0) {
    problems.push({
      rule: 'volumeresize-below-used',
      severity: 'warning',
      message:
        `newSize ${sized(v.newSize, newBytes)} leaves less than ${HEADROOM_PERCENT} % room above the data in use: ${listed(tight.map(usedText))} (the kubelet's stats). ` +
        `Filesystem overhead and writes during the copy may not fit.`,
      at,
      replace,
      data: { usedBytes: String(most) },
    });
  }
  const unreadable = cells.flatMap((c) => (c.usage?.state === 'unreadable' ? [{ c, reason: c.usage.reason }] : []));
  if (unreadable.length > 0) {
    const reasons = [...new Set(unreadable.map((u) => u.reason))];
    problems.push({
      rule: 'volumeresize-below-used',
      severity: 'info',
      message:
        `The data in use on ${listed(unreadable.map((u) => u.c.pvcName))} cannot be read from the kubelet's stats (${reasons.join('; ')}): ` +
        `newSize is not checked against it. Check with df in the pods before applying.`,
      at,
    });
  }
}

function checkRwx(v: VolumeTarget, i: number, templateModes: string[] | undefined, cells: readonly ResizeCell[], problems: ResizeProblem[]): void {
  const rwx = cells.find((c) => c.pvc?.accessModes?.includes('ReadWriteMany'));
  const fromTemplate = !rwx && !cells.some((c) => c.pvc) && templateModes?.includes('ReadWriteMany');
  if (!rwx && !fromTemplate) return;
  problems.push({
    rule: 'volumeresize-rwx',
    severity: 'warning',
    message:
      `Volume ${v.name} is ReadWriteMany (${rwx ? `PVC ${rwx.pvcName}` : 'its volumeClaimTemplate'}): the operator supports ReadWriteOnce volumes only. It stops only ` +
      `the StatefulSet's pod, so any other pod mounting the volume keeps writing while rclone copies it, and what it writes after the copy stays behind on the old volume.`,
    at: { volume: i, field: 'name' },
  });
}

function checkOverrideClass(req: ResizeRequest, v: VolumeTarget, i: number, facts: Facts, context: string | undefined, problems: ResizeProblem[]): void {
  if (v.storageClass === undefined || facts.storageClass(v.storageClass)) return;
  problems.push({
    rule: 'volumeresize-storageclass-not-found',
    severity: context ? 'error' : 'info',
    message: context
      ? `StorageClass ${v.storageClass} is not in the analysed files or in context ${context}: the temporary PVC ${tempPvcName(v.name, req.statefulSetName, 0)} ` +
        `never binds, and the operator waits for it without end (it requeues every 5 s; the migration stays Syncing).`
      : `StorageClass ${v.storageClass} is in none of the analysed files; connect a cluster to check that it exists.`,
    at: { volume: i, field: 'storageClass' },
    replace: facts.storageClasses().map((s) => ({ title: `Use StorageClass ${s.name}`, value: s.name })),
  });
}

/** The class of the temporary PVCs: the override, else each original PVC's (which must provision, and bind where the pod can run). */
function checkClass(sts: StatefulSetFact, v: VolumeTarget, i: number, cells: readonly ResizeCell[], facts: Facts, problems: ResizeProblem[]): void {
  if (v.storageClass === undefined) {
    const noClass = cells.find((c) => c.pvc?.storageClassName === '');
    const missing = cells.find((c) => c.pvc?.storageClassName && !facts.storageClass(c.pvc.storageClassName));
    if (noClass || missing) {
      const c = (noClass ?? missing)!;
      problems.push({
        rule: 'volumeresize-storageclass-not-found',
        severity: 'error',
        message:
          (noClass
            ? `PVC ${c.pvcName} has no storage class (storageClassName ""), and the temporary PVC copies it: nothing provisions ${tempPvcName(v.name, sts.name, c.replica)}, `
            : `PVC ${c.pvcName}'s StorageClass ${c.pvc!.storageClassName} does not exist, and the temporary PVC copies it: nothing provisions ${tempPvcName(v.name, sts.name, c.replica)}, `) +
          `and the operator waits for it to bind without end. Name a class in storageClass.`,
        at: { volume: i, field: 'name' },
        replace: facts.storageClasses().map((s) => ({ title: `Use StorageClass ${s.name}`, value: s.name })),
      });
      return;
    }
  }
  const className = v.storageClass ?? cells.find((c) => c.pvc?.storageClassName)?.pvc?.storageClassName;
  const sc = className ? facts.storageClass(className) : undefined;
  if (!sc || (sc.volumeBindingMode ?? 'Immediate') !== 'Immediate') return;
  const pinned = cells.map((c) => (c.pvc?.volumeName ? facts.persistentVolume?.(c.pvc.volumeName) : undefined)).find((pv) => pv?.pinned);
  if (!pinned) return;
  problems.push({
    rule: 'volumeresize-storageclass-not-found',
    severity: 'warning',
    message:
      `StorageClass ${sc.name} binds at once (volumeBindingMode Immediate): each new volume is provisioned before the migrator pod is scheduled, and may land ` +
      `where PV ${pinned.name} (pinned by its nodeAffinity) cannot be reached. The migrator pod mounts both, stays Pending, and the operator waits for it without ` +
      `end. A WaitForFirstConsumer class places the new volume where the pod runs.`,
    at: v.storageClass === undefined ? { volume: i, field: 'name' } : { volume: i, field: 'storageClass' },
  });
}

function checkPdbs(req: ResizeRequest, sts: StatefulSetFact, facts: Facts, problems: ResizeProblem[]): void {
  for (const pdb of facts.podDisruptionBudgets?.(req.namespace) ?? []) {
    if (!pdbSelects(pdb, sts.templateLabels)) continue;
    const a = allowedDisruptions(pdb, sts.replicas);
    if (!a || a.allowed >= 1) continue;
    const labels = Object.entries(pdb.matchLabels).map(([k, x]) => `${k}=${x}`).join(',') || 'every pod';
    problems.push({
      rule: 'volumeresize-pdb-blocks',
      severity: 'error',
      message:
        `PodDisruptionBudget ${pdb.namespace}/${pdb.name} selects the pods of StatefulSet ${sts.name} (${labels}) and ${a.predicted ? 'will allow' : 'allows'} ` +
        `${a.allowed} disruptions (${a.why}): the operator refuses to start ("PodDisruptionBudget ${pdb.name} does not allow disruptions (disruptionsAllowed=${a.allowed})"). ` +
        `Raise its maxUnavailable (or lower minAvailable) for the migration, or wait until every pod it covers is ready.`,
      at: { field: 'statefulSetName' },
    });
  }
}
