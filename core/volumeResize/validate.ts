/**
 * Will a VolumeResize work? What migcontroller's operator checks in its Validating phase
 * (internal/controller/validation.go at 1ffafc1: the StatefulSet exists, each volume is a claim template, newSize
 * below replica 0's request, no PodDisruptionBudget with disruptionsAllowed < 1 matching the pod labels), done
 * before apply and done more carefully: newSize against every replica's PVC and against the data in use, ReadWriteMany
 * volumes, storage classes that never bind, and an operator that is not installed. One function for the editor's
 * rules, `lint` and the start operation; each problem names its rule and the field it is about.
 */
import type { Facts, PvcFact, StatefulSetFact, VolumeUsageFact } from '../facts.js';
import { parseQuantity } from '../quantity.js';
import type { Severity } from '../types.js';
import { checkPdbs, checkSmaller, checkUsed } from './checks.js';
import { originalPvcName, replicaPodName, tempPvcName, type VolumeTarget } from './model.js';

export { allowedDisruptions, HEADROOM_PERCENT, pdbSelects, suggestedSize } from './checks.js';

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
