/**
 * The VolumeResize checks that weigh sizes and disruptions (validate.ts runs them): newSize against every
 * replica's PVC and against the data in use, and the PodDisruptionBudgets the operator reads.
 */
import type { Facts, PdbFact, StatefulSetFact } from '../facts.js';
import { formatBytes, groupDigits, parseQuantity } from '../quantity.js';
import type { VolumeTarget } from './model.js';
import type { ProblemAt, ResizeCell, ResizeProblem, ResizeRequest } from './validate.js';

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

export function checkSmaller(
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

export function checkUsed(v: VolumeTarget, i: number, newBytes: bigint, cells: readonly ResizeCell[], problems: ResizeProblem[]): void {
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

export function checkPdbs(req: ResizeRequest, sts: StatefulSetFact, facts: Facts, problems: ResizeProblem[]): void {
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
