/**
 * "Create PVC…" as an operation (the VolumeClaimTemplates design's `virtctl create-pvc`, which KubeVirt never
 * shipped): the user's minimal flags (a name or a generateName, a size, a class, a populator source) → the PVC
 * CDI's RenderPvc would produce in-process (core/cdi/render.ts renderPvcInProcess: the virt default class, then
 * the Kubernetes default; access and volume modes from the StorageProfile; a clone's size from its source; the
 * filesystem overhead) → one `create` write, then a wait for Bound, or, on a WaitForFirstConsumer class, the
 * reason it stays Pending. Pure: what the cluster holds comes in as facts.
 */
import { hasCloneSourceRef, isRejected, rejection, renderPvcInProcess, type PvcSpecInput, type RenderResult } from '../../cdi/render.js';
import { sourceSizeOf, type SourceSize } from '../../claimSpecs/render.js';
import type { ClaimObjectKind, Facts } from '../../facts.js';
import { LABEL } from '../../kinds/index.js';
import { groupDigits, parseQuantity } from '../../quantity.js';
import type { Settings } from '../../types.js';
import type { Check, KubeObject, ObjectRef, Plan, PlanResult, PlanTarget, Wait } from '../types.js';

export const CREATE_PVC_OPERATION = 'create-pvc';

/** The design's flags. */
export interface CreatePvcOptions {
  name?: string;
  generateName?: string;
  namespace: string;
  size?: string;
  storageClass?: string;
  dataSourceRefKind?: string;
  dataSourceRefName?: string;
}

/** The kinds `--data-source-ref-kind` takes, with their API group and the claim objects they are. */
export const sourceKinds: readonly { kind: string; apiGroup: string; objects?: ClaimObjectKind }[] = [
  { kind: 'VolumeImportSource', apiGroup: 'cdi.kubevirt.io', objects: 'VolumeImportSource' },
  { kind: 'VolumeCloneSource', apiGroup: 'cdi.kubevirt.io', objects: 'VolumeCloneSource' },
  { kind: 'VolumeUploadSource', apiGroup: 'cdi.kubevirt.io', objects: 'VolumeUploadSource' },
  { kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' },
  { kind: 'PersistentVolumeClaim', apiGroup: '', objects: 'PersistentVolumeClaim' },
];

export interface RenderedPvc {
  pvc: KubeObject;
  render: RenderResult;
  sourceSize?: SourceSize;
  /** How each field was decided, one sentence each. */
  notes: string[];
}

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The PVC the options render to, or every reason they cannot. */
export function renderCreatePvc(o: CreatePvcOptions, facts: Facts, settings: Settings): { ok: true; value: RenderedPvc } | { ok: false; message: string } {
  const problems: string[] = [];
  if ((o.name === undefined) === (o.generateName === undefined)) problems.push('give exactly one of --name and --generate-name');
  if (o.name !== undefined && (o.name.length > 253 || !dns1123.test(o.name))) problems.push(`--name "${o.name}" is not a valid name (lowercase letters, digits, '-' and '.'; at most 253)`);
  if (o.generateName !== undefined && !/^[a-z0-9]([-a-z0-9.]*)?$/.test(o.generateName)) problems.push(`--generate-name "${o.generateName}" is not a valid name prefix`);
  if ((o.dataSourceRefKind === undefined) !== (o.dataSourceRefName === undefined)) problems.push('--data-source-ref-kind and --data-source-ref-name go together');
  const kind = o.dataSourceRefKind === undefined ? undefined : sourceKinds.find((k) => k.kind === o.dataSourceRefKind);
  if (o.dataSourceRefKind !== undefined && !kind) problems.push(`--data-source-ref-kind must be one of ${sourceKinds.map((k) => k.kind).join(', ')}, not "${o.dataSourceRefKind}"`);
  let requestBytes: bigint | undefined;
  if (o.size !== undefined) {
    const q = parseQuantity(o.size);
    if (!q.ok) problems.push(`--size "${o.size}" is not a quantity: ${q.error}`);
    else requestBytes = q.quantity.bytes;
  }
  if (o.storageClass !== undefined && o.storageClass !== '' && !facts.storageClass(o.storageClass)) problems.push(`StorageClass ${o.storageClass} does not exist`);
  if (kind && o.dataSourceRefName !== undefined) {
    const exists = kind.objects ? facts.claimObject?.(kind.objects, o.namespace, o.dataSourceRefName) : facts.volumeSnapshot(o.namespace, o.dataSourceRefName);
    if (!exists) problems.push(`${kind.kind} ${o.namespace}/${o.dataSourceRefName} does not exist: the PVC would wait for it forever`);
  }
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };

  const input: PvcSpecInput = {
    namespace: o.namespace,
    labels: {},
    annotations: {},
    ...(o.storageClass === undefined ? {} : { storageClassName: o.storageClass }),
    ...(requestBytes === undefined ? {} : { requestBytes }),
    ...(kind && o.dataSourceRefName !== undefined ? { dataSourceRef: { ...(kind.apiGroup ? { apiGroup: kind.apiGroup } : {}), kind: kind.kind, name: o.dataSourceRefName } } : {}),
  };
  // No --size: a clone or a restore takes its source's. A VolumeCloneSource's is what RenderPvc gives the claim
  // with no size (cloneSizeFromSource, against the class and mode rendered here), its denials included.
  let sourceSize: SourceSize | undefined;
  let unsizedUnknowns: string[] = [];
  if (o.size === undefined) {
    const unsized = renderPvcInProcess(input, facts, settings);
    const clone = hasCloneSourceRef(input);
    if (clone && isRejected(unsized)) return { ok: false, message: rejection(unsized, 'this PVC')! };
    sourceSize = sourceSizeOf(input, facts, unsized);
    if (!sourceSize) {
      const why = clone && unsized.sizeNote ? ` (${unsized.sizeNote})` : '';
      return { ok: false, message: kind && kind.kind !== 'VolumeImportSource' && kind.kind !== 'VolumeUploadSource' ? `the size of ${kind.kind} ${o.namespace}/${o.dataSourceRefName ?? ''}'s source is not known${why}: give --size` : 'give --size (only a clone or a restore can take its size from the source)' };
    }
    input.requestBytes = sourceSize.bytes;
    unsizedUnknowns = unsized.unknowns;
  }
  const render = renderPvcInProcess(input, facts, settings);
  // What the size from the source assumed (a source PVC's phase or capacity not known): the sized render no longer sees it.
  const assumed = unsizedUnknowns.filter((u) => !render.unknowns.includes(u)).map((u) => `not known: ${u}`);
  if (isRejected(render)) return { ok: false, message: rejection(render, 'this PVC')! };
  const given = o.size ?? sourceSize!.text;
  const storage = render.renderedBytes !== undefined && render.renderedBytes !== input.requestBytes ? render.renderedBytes.toString() : given;
  const notes = [
    `class ${render.storageClassName ?? 'none'} (${render.storageClassFrom === 'spec' ? 'as given' : render.storageClassFrom === 'virt-default' ? 'the virt default' : render.storageClassFrom === 'default' ? 'the Kubernetes default' : render.storageClassFrom})`,
    `${render.accessModes.join(', ')} ${render.volumeMode}${render.volumeModeFrom === 'storage-profile' ? ` from StorageProfile ${render.storageClassName}` : ''}`,
    `${sourceSize ? `size ${sourceSize.text} from ${sourceSize.from}` : `size ${given}`}${
      render.inflated && storage !== given ? ` + filesystem overhead ${render.overhead} = ${groupDigits(render.renderedBytes!)} bytes${render.minimumApplied ? ' (raised to the StorageProfile minimum)' : ''}` : render.sizeNote && !sourceSize ? ` (${render.sizeNote})` : ''
    }`,
    render.cdi.describe,
    ...assumed,
  ];
  const pvc: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      ...(o.name !== undefined ? { name: o.name } : { generateName: o.generateName! }),
      namespace: o.namespace,
      labels: { [LABEL.appManagedBy]: 'kubevirt-storage-tools' },
    },
    spec: {
      ...(render.storageClassName === undefined ? {} : { storageClassName: render.storageClassName }),
      accessModes: render.accessModes,
      volumeMode: render.volumeMode,
      resources: { requests: { storage } },
      ...(input.dataSourceRef ? { dataSourceRef: input.dataSourceRef } : {}),
    },
  };
  return { ok: true, value: { pvc, render, notes, ...(sourceSize ? { sourceSize } : {}) } };
}

/** What the reader found besides the facts. */
export interface CreatePvcInputs {
  target: PlanTarget;
  options: CreatePvcOptions;
  facts: Facts;
  settings: Settings;
  /** A PVC of `--name` already exists (then there is nothing to create). */
  existing?: { phase?: string };
  /** Seconds to wait for Bound (default 300). */
  waitSeconds?: number;
}

export function planCreatePvc(i: CreatePvcInputs): PlanResult {
  const r = renderCreatePvc(i.options, i.facts, i.settings);
  if (!r.ok) return r;
  const { pvc, render, notes } = r.value;
  const label = `PersistentVolumeClaim ${i.options.namespace}/${i.options.name ?? `${i.options.generateName}…`}`;
  if (i.existing) {
    return { ok: true, plan: { operation: CREATE_PVC_OPERATION, title: `${label} exists already (${i.existing.phase ?? 'no phase yet'}): nothing to create`, target: i.target, phases: [], checks: [], notes } };
  }
  const ref: ObjectRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: i.options.namespace, name: i.options.name ?? i.options.generateName!, ...(i.options.name === undefined ? { generated: true } : {}) };
  const sc = render.storageClassName ? i.facts.storageClass(render.storageClassName) : undefined;
  const waitsForConsumer = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const waits: Wait[] = waitsForConsumer ? [] : [{ kind: 'phase', target: ref, phases: ['Bound'], failPhases: ['Lost'], timeoutSeconds: i.waitSeconds ?? 300 }];
  const checks: Check[] = waitsForConsumer
    ? [{ kind: 'skipped', reason: `StorageClass ${sc!.name} binds on first consumer (volumeBindingMode WaitForFirstConsumer): the PVC stays Pending until a pod (a VM's launcher) uses it${pvc.spec && (pvc.spec as { dataSourceRef?: unknown }).dataSourceRef ? ', and CDI populates it then' : ''}` }]
    : [{ kind: 'field', target: ref, expect: [{ path: ['status', 'phase'], equals: 'Bound', says: 'the PVC is Bound' }], describe: `${label} is Bound` }];
  const plan: Plan = {
    operation: CREATE_PVC_OPERATION,
    title: `Create ${label}, rendered as CDI's RenderPvc would`,
    target: { ...i.target, namespace: i.options.namespace },
    phases: [{ id: 'create', title: 'Create the PVC', why: `The PVC CDI would render from these flags: ${notes.join('; ')}.`, writes: [{ action: 'create', object: pvc }], waits }],
    checks,
    notes: waitsForConsumer ? [...notes, `${sc!.name} is WaitForFirstConsumer: expect Pending until a consumer starts.`] : notes,
  };
  return { ok: true, plan };
}
