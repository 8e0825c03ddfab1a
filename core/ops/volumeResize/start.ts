/**
 * Starting a VolumeResize as an operation: validate (core/volumeResize/validate.ts, against what the reader found
 * on the cluster), then a plan of one write, the VolumeResize itself, whose preview says what the operator will
 * do with it: which replicas × volumes move and to what size, how long each replica is down, what it deletes and
 * what it keeps. Errors refuse; warnings are advice (the editor asks, the CLI needs --force). The wait after the
 * create is the operator's validation: Syncing means it accepted the request.
 */
import { formatBytes, groupDigits, humanBytes, parseQuantity } from '../../quantity.js';
import {
  backupConfigMapName,
  migratorPodName,
  originalPvcName,
  replicaPodName,
  tempPvcName,
  VOLUME_RESIZE_API_VERSION,
  VOLUME_RESIZE_KIND,
  type VolumeResizeView,
  type VolumeTarget,
} from '../../volumeResize/model.js';
import type { ProblemAt, ResizeProblem, Validation } from '../../volumeResize/validate.js';
import type { KubeObject, Plan, PlanResult, PlanTarget } from '../types.js';

export const VOLUME_RESIZE_START_OPERATION = 'volumeresize-start';

/** What the copy speed is taken to be for the downtime estimate (rclone over the cluster's storage). */
export const ASSUMED_MIB_PER_SECOND = 100;

export interface StartInput {
  target: PlanTarget;
  namespace: string;
  name: string;
  volumes: readonly VolumeTarget[];
  validation: Validation;
  /** A VolumeResize of that name, when one exists. */
  existing?: VolumeResizeView;
}

const field = (a: ProblemAt, volumes: readonly VolumeTarget[]): string =>
  'volume' in a ? `volume ${volumes[a.volume]?.name ?? a.volume} (${a.field})` : a.field === 'kind' ? 'the cluster' : 'statefulSetName';

function problemLines(problems: readonly ResizeProblem[], volumes: readonly VolumeTarget[]): string[] {
  return problems.map((p) => `${p.rule} (${field(p.at, volumes)}): ${p.message}`);
}

/** "about 2 min at 100 MiB/s" for `bytes` of data. */
export function copyEstimate(bytes: bigint): string {
  const seconds = Number(bytes / (1024n * 1024n)) / ASSUMED_MIB_PER_SECOND;
  const text = seconds < 60 ? `${Math.max(1, Math.ceil(seconds))} s` : seconds < 3600 ? `${Math.ceil(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;
  return `about ${text} at an assumed ${ASSUMED_MIB_PER_SECOND} MiB/s`;
}

export function volumeResizeObject(namespace: string, name: string, statefulSetName: string, volumes: readonly VolumeTarget[]): KubeObject {
  return {
    apiVersion: VOLUME_RESIZE_API_VERSION,
    kind: VOLUME_RESIZE_KIND,
    metadata: { name, namespace },
    spec: { statefulSetName, volumes: volumes.map((v) => ({ name: v.name, newSize: v.newSize, ...(v.storageClass ? { storageClass: v.storageClass } : {}) })) },
  };
}

export function planVolumeResizeStart(input: StartInput): PlanResult {
  const { namespace: ns, name, volumes, validation } = input;
  const where = `${ns}/${name}`;
  if (input.existing) {
    return {
      ok: false,
      message: `VolumeResize ${where} exists already (${input.existing.status.phase || 'Pending'}${input.existing.status.message ? `: ${input.existing.status.message}` : ''}): the operator runs each VolumeResize once. Choose another name, or delete it first (kvstorage resize delete ${name}).`,
    };
  }
  const errors = validation.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) return { ok: false, message: `Not started, the migration would fail:\n${problemLines(errors, volumes).map((l) => `- ${l}`).join('\n')}` };
  const sts = validation.statefulSet;
  if (!sts) return { ok: false, message: `Not started: StatefulSet ${ns} could not be checked.` };
  const warnings = validation.problems.filter((p) => p.severity === 'warning');
  const infos = validation.problems.filter((p) => p.severity === 'info' || p.severity === 'hint');

  const rows: string[] = [];
  const downtime: string[] = [];
  let longest: { replica: number; used: bigint } | undefined;
  let unknownUsage = false;
  for (let r = 0; r < sts.replicas; r++) {
    let used = 0n;
    let known = true;
    for (const v of volumes) {
      const c = validation.cells.find((x) => x.replica === r && x.volume === v.name);
      const from = c?.pvc?.requestText ?? '?';
      const q = parseQuantity(v.newSize);
      const usage = c?.usage?.state === 'known' ? `${humanBytes(c.usage.usedBytes)} in use` : c?.usage?.state === 'unreadable' ? 'usage unknown' : 'usage not read';
      if (c?.usage?.state === 'known') used += c.usage.usedBytes;
      else known = false;
      const cls = v.storageClass ?? c?.pvc?.storageClassName ?? '(the PVC\'s class)';
      rows.push(
        `  replica ${r} × ${v.name}: PVC ${originalPvcName(v.name, sts.name, r)} ${from} → ${v.newSize}${q.ok ? ` (${groupDigits(q.quantity.bytes)} bytes)` : ''}, class ${cls}, ${usage}` +
          `${c?.pvc?.volumeName ? `; old PV ${c.pvc.volumeName} kept` : ''}`,
      );
    }
    if (known && (!longest || used > longest.used)) longest = { replica: r, used };
    if (!known) unknownUsage = true;
    downtime.push(
      `  replica ${r} (pod ${replicaPodName(sts.name, r)}): down from its deletion until it runs again on the new volumes — the copy of ${known ? `${formatBytes(used)} (${copyEstimate(used)})` : 'its data (usage not known)'}, then its PVCs are swapped and the StatefulSet created again`,
    );
  }
  const grid = `${sts.replicas} replica${sts.replicas === 1 ? '' : 's'} × ${volumes.length} volume${volumes.length === 1 ? '' : 's'}`;
  const notes = [
    `Moves ${grid} of StatefulSet ${ns}/${sts.name}, one at a time, volumes inner, replicas outer:`,
    ...rows,
    'Downtime, one replica at a time (the others keep running):',
    ...downtime,
    ...infos.map((p) => `Note: ${p.message}`),
  ];
  const temp = sts.replicas > 0 && volumes[0] ? tempPvcName(volumes[0].name, sts.name, 0) : '<vol>-<sts>-<replica>-new';
  const summary =
    `Moves ${grid} (${volumes.map((v) => `${v.name} → ${v.newSize}`).join(', ')}), one replica at a time; each is down while its data is copied` +
    (longest && !unknownUsage ? `, the longest ${copyEstimate(longest.used)} (replica ${longest.replica}, ${formatBytes(longest.used)}).` : ' (the data in use is not known for every replica: see the preview).');
  const confirm = [
    summary,
    `The operator deletes, for each replica × volume: the StatefulSet ${sts.name} (propagationPolicy Orphan: the other pods keep running) after backing it up in ConfigMap ${backupConfigMapName(name)}, the replica's pod, the original PVC once the data is copied, the temporary PVC (e.g. ${temp}) and its migrator pod (${migratorPodName(name, 0, volumes[0]?.name ?? 'vol')}, rclone as root); it then creates the PVC again under its original name on the new volume and the StatefulSet from the backup with the new sizes.`,
    'It keeps: every old PV (set to reclaimPolicy Retain, so the data survives), every new PV (Retain), and the backup ConfigMap.',
    `It has no automatic rollback: a failure after it deleted the StatefulSet leaves it deleted. The tools can roll it back (kvstorage resize rollback ${name}).`,
  ];
  const object = volumeResizeObject(ns, name, sts.name, volumes);
  const plan: Plan = {
    operation: VOLUME_RESIZE_START_OPERATION,
    title: `Start VolumeResize ${where}: shrink ${volumes.map((v) => `${v.name} to ${v.newSize}`).join(', ')} on ${sts.replicas} replica${sts.replicas === 1 ? '' : 's'} of StatefulSet ${sts.name}`,
    target: { ...input.target, namespace: ns },
    phases: [
      {
        id: 'start',
        title: 'Start',
        why: 'The VolumeResize the operator acts on; it validates it first (Validating), then moves the replicas one by one (Syncing).',
        writes: [
          {
            action: 'create',
            object,
            undo: { kind: 'irreversible', reason: 'deleting a VolumeResize sets off its finalizer, which deletes the copies but does not bring back a StatefulSet it deleted: use kvstorage resize delete, or roll back' },
          },
        ],
        waits: [{ kind: 'phase', target: { apiVersion: VOLUME_RESIZE_API_VERSION, kind: VOLUME_RESIZE_KIND, namespace: ns, name }, phases: ['Syncing', 'Completed'], failPhases: ['Failed'], timeoutSeconds: 120 }],
      },
    ],
    checks: [],
    notes,
    confirm,
    undo: 'Undo does not delete the VolumeResize: its finalizer would delete the copies and leave a StatefulSet it deleted deleted. Delete it with "Delete VolumeResize…" (which says what stays), or roll a failed one back.',
    ...(warnings.length > 0 ? { advice: problemLines(warnings, volumes).join(' ') } : {}),
  };
  return { ok: true, plan };
}
