/**
 * The GCP golden-image workaround as an operation: the steps detection found needed, as phases of the Plan
 * the engine runs, each with its reason. Step 1 copies the existing hyperdisk class (never its regional
 * settings), step 5 patches the HyperConverged CR at the path of its API version, step 6 deletes only the
 * golden-image VolumeSnapshots (labelled `cdi.kubevirt.io/dataImportCron`, in the golden-image namespace),
 * listed by the dry run first; its undo is irreversible, since CDI imports the images again.
 */
import { CREATED_NAMESPACE_ANNOTATION } from '../webhook/deploy.js';
import { diskType, PD_DRIVER } from '../../gcp/pdParameters.js';
import { putOwn } from '../../own.js';
import type { Check, KubeObject, Phase, Plan, PlanResult, Question, Write } from '../types.js';
import { detect, staleCrons, STEPS, type Detection } from './detect.js';
import { mergePatchAt, retargetTemplates } from './hco.js';
import { ANN, LABEL } from './keys.js';
import { imagesSnapshotClassName, isDefaultClass, nameOf, situation, type Situation } from './situation.js';
import type { GcpImagesInputs, GcpImagesOptions, StepId, StorageClassJson } from './types.js';
import { RWO_SETS } from './verify.js';

export const GCP_IMAGES_OPERATION = 'gcp-images';

/** Parameters the golden-image class does not copy: they make disks regional or multi-writer, and images need zonal ReadWriteOnce disks. */
export const NOT_COPIED = ['replication-type', 'availability-class', 'enable-multi-zone-provisioning', 'access-mode'] as const;

const createdBy = { [CREATED_NAMESPACE_ANNOTATION]: `kubevirt-storage-tools ${GCP_IMAGES_OPERATION}` };

/** Which steps the user asked for (`--steps 1,3` / ids / `all`, with the steps they build on), or why the value is wrong. */
export function parseSteps(text: string | undefined): { ok: true; steps: Set<StepId> } | { ok: false; message: string } {
  const out = new Set<StepId>();
  if (!text?.trim()) return { ok: true, steps: out };
  for (const raw of text.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    if (raw === 'all') {
      for (const s of STEPS) if (s.id !== 'verify') out.add(s.id);
      continue;
    }
    const s = STEPS.find((x) => String(x.step) === raw || x.id === raw);
    if (!s || s.id === 'verify') return { ok: false, message: `--steps takes step numbers 1-6 or ids (${STEPS.filter((x) => x.id !== 'verify').map((x) => x.id).join(', ')}) or "all", not "${raw}"` };
    out.add(s.id);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const id of [...out]) for (const d of DEPENDS_ON[id]) if (!out.has(d)) (out.add(d), (grew = true));
  }
  return { ok: true, steps: out };
}

/** A step asked for brings what it builds on: templates need the class and its profile, the profile needs both classes. */
const DEPENDS_ON: Record<StepId, readonly StepId[]> = {
  'images-storage-class': [],
  'default-snapshot-class': [],
  'images-snapshot-class': [],
  'storage-profile': ['images-storage-class', 'images-snapshot-class'],
  'golden-image-templates': ['images-storage-class', 'storage-profile'],
  'golden-image-snapshots': ['images-snapshot-class'],
  verify: [],
};

/** The golden-image StorageClass: the source's disk settings without what makes disks regional or multi-writer. */
export function imagesStorageClass(source: StorageClassJson, name: string): { object: KubeObject; copied: string[]; dropped: string[] } {
  const params: Record<string, string> = {};
  const copied: string[] = [];
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(source.parameters ?? {})) {
    if ((NOT_COPIED as readonly string[]).includes(k.toLowerCase())) dropped.push(k);
    else {
      putOwn(params, k, v);
      copied.push(k);
    }
  }
  // hyperdisk-balanced-high-availability is regional by itself: its zonal sibling is hyperdisk-balanced.
  const typeKey = Object.keys(params).find((k) => k.toLowerCase() === 'type');
  if (diskType(source.parameters) === 'hyperdisk-balanced-high-availability') {
    putOwn(params, typeKey ?? 'type', 'hyperdisk-balanced');
    dropped.push('type hyperdisk-balanced-high-availability (regional; hyperdisk-balanced instead)');
  }
  const object: KubeObject = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, annotations: { [ANN.defaultStorageClass]: 'false', [ANN.defaultVirtStorageClass]: 'false', ...createdBy } },
    provisioner: PD_DRIVER,
    parameters: params,
    reclaimPolicy: source.reclaimPolicy ?? 'Delete',
    volumeBindingMode: source.volumeBindingMode ?? 'WaitForFirstConsumer',
    allowVolumeExpansion: source.allowVolumeExpansion ?? true,
    ...(source.mountOptions ? { mountOptions: source.mountOptions } : {}),
    ...(source.allowedTopologies ? { allowedTopologies: source.allowedTopologies } : {}),
  };
  return { object, copied, dropped };
}

const annotate = (kind: string, apiVersion: string, name: string, annotations: Record<string, string>): Write => ({
  action: 'patch',
  target: { apiVersion, kind, name },
  patchType: 'merge',
  patch: { metadata: { annotations } },
});

const VSC = 'snapshot.storage.k8s.io/v1';

function step1Writes(s: Situation): { writes: Write[]; why?: string } {
  if (s.imagesClass) {
    const off = [ANN.defaultStorageClass, ANN.defaultVirtStorageClass].filter((k) => isDefaultClass(s.imagesClass!.sc, k));
    return { writes: off.length > 0 ? [annotate('StorageClass', 'storage.k8s.io/v1', s.className, Object.fromEntries(off.map((k) => [k, 'false'])))] : [] };
  }
  if (!('sc' in s.source)) return { writes: [] };
  const sc = imagesStorageClass(s.source.sc, s.className);
  const why = `The golden-image class ${s.className} copies ${nameOf(s.source.sc)} (${s.source.why}): ${sc.copied.join(', ') || 'no parameters'}${sc.dropped.length > 0 ? `; not copied: ${sc.dropped.join(', ')}, since images need zonal ReadWriteOnce disks` : ''}. It is never a default class.`;
  return { writes: [{ action: 'apply', object: sc.object }], why };
}

function step2Writes(s: Situation): Write[] {
  const c = s.snapshots.defaultChoice;
  if ('create' in c) return [{ action: 'apply', object: { apiVersion: VSC, kind: 'VolumeSnapshotClass', metadata: { name: c.create, annotations: { [ANN.defaultSnapshotClass]: 'true', ...createdBy } }, driver: PD_DRIVER, deletionPolicy: 'Delete' } }];
  if (!('vsc' in c)) return [];
  const writes: Write[] = [];
  if (!isDefaultClass(c.vsc, ANN.defaultSnapshotClass)) writes.push(annotate('VolumeSnapshotClass', VSC, nameOf(c.vsc), { [ANN.defaultSnapshotClass]: 'true' }));
  for (const v of s.snapshots.standard) {
    if (nameOf(v) !== nameOf(c.vsc) && isDefaultClass(v, ANN.defaultSnapshotClass)) writes.push(annotate('VolumeSnapshotClass', VSC, nameOf(v), { [ANN.defaultSnapshotClass]: 'false' }));
  }
  return writes;
}

function step3Writes(s: Situation): Write[] {
  const c = s.snapshots.imagesChoice;
  if ('create' in c) {
    return [{ action: 'apply', object: { apiVersion: VSC, kind: 'VolumeSnapshotClass', metadata: { name: c.create, annotations: { [ANN.defaultSnapshotClass]: 'false', ...createdBy } }, driver: PD_DRIVER, deletionPolicy: 'Delete', parameters: { 'snapshot-type': 'images' } } }];
  }
  if ('vsc' in c && isDefaultClass(c.vsc, ANN.defaultSnapshotClass)) return [annotate('VolumeSnapshotClass', VSC, nameOf(c.vsc), { [ANN.defaultSnapshotClass]: 'false' })];
  return [];
}

function step4Writes(s: Situation): Write[] {
  const vsc = imagesSnapshotClassName(s);
  if (!vsc) return [];
  const spec = { claimPropertySets: RWO_SETS.map((x) => ({ ...x, accessModes: [...(x.accessModes ?? [])] })), snapshotClass: vsc };
  const ref = { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', name: s.className };
  // CDI creates the profile when the class appears; whoever is first, the spec is the workaround's.
  return s.profile(s.className)
    ? [{ action: 'patch', target: ref, patchType: 'merge', patch: { spec } }]
    : [{ action: 'apply', object: { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: s.className }, spec } }];
}

function step5Writes(s: Situation): Write[] {
  if (s.hco) {
    const { list, changed } = retargetTemplates(s.hco, s.className);
    if (changed.length === 0) return [];
    return [{ action: 'patch', target: { apiVersion: s.hco.apiVersion, kind: 'HyperConverged', namespace: s.hco.namespace, name: s.hco.name }, patchType: 'merge', patch: mergePatchAt(s.hco.templatesPath, list) }];
  }
  return s.inputs.dataImportCrons
    .filter((c) => c.metadata?.namespace === s.golden.namespace && c.spec?.template?.spec?.storage?.storageClassName !== s.className)
    .map((c): Write => ({
      action: 'patch',
      target: { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataImportCron', namespace: s.golden.namespace, name: nameOf(c) },
      patchType: 'merge',
      patch: { spec: { template: { spec: { storage: { storageClassName: s.className } } } } },
    }));
}

function step6Writes(s: Situation): Write[] {
  const { crons } = staleCrons(s);
  if (crons.length === 0) return [];
  return [{
    action: 'deleteSelected',
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    namespace: s.golden.namespace,
    labelSelector: `${LABEL.dataImportCron} in (${crons.join(',')})`,
    undo: { kind: 'irreversible', reason: 'CDI imports the golden images again from their source; a deleted snapshot cannot be brought back, and undo never deletes the re-imported ones' },
  }];
}

function questions(s: Situation, options: GcpImagesOptions): Question[] {
  const out: Question[] = [];
  const candidates = s.pdClasses.filter((c) => nameOf(c) !== s.className);
  if (!options.sourceClass && 'sc' in s.source && candidates.length > 1 && !s.imagesClass && !s.cdi.automatic) {
    out.push({ option: 'sourceClass', prompt: 'The hyperdisk StorageClass the golden-image class copies', chosen: nameOf(s.source.sc), choices: candidates.map((c) => ({ value: nameOf(c), label: nameOf(c), detail: `type ${diskType(c.parameters)}` })) });
  }
  const d = s.snapshots.defaultChoice;
  if (!options.defaultSnapshotClass && 'vsc' in d && d.alternatives.length > 1 && d.why !== 'the current default') {
    out.push({ option: 'defaultSnapshotClass', prompt: 'The VolumeSnapshotClass VM snapshots use by default', chosen: nameOf(d.vsc), choices: d.alternatives.map((n) => ({ value: n, label: n })) });
  }
  return out;
}

function checks(s: Situation, planned: Set<StepId>): Check[] {
  const out: Check[] = [];
  const vsc = imagesSnapshotClassName(s);
  if (planned.has('storage-profile') && vsc) {
    out.push({
      kind: 'field',
      target: { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', name: s.className },
      describe: `CDI reports StorageProfile ${s.className}'s effective settings`,
      expect: [
        { path: ['status', 'snapshotClass'], equals: vsc, says: `snapshot class ${vsc}` },
        { path: ['status', 'claimPropertySets'], equals: RWO_SETS, says: 'ReadWriteOnce Block and Filesystem only' },
      ],
      retrySeconds: 60,
    });
  }
  if (s.cdi.automatic && planned.has('images-snapshot-class') && vsc && 'sc' in s.source) {
    out.push({
      kind: 'field',
      target: { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'StorageProfile', name: nameOf(s.source.sc) },
      describe: `CDI picks ${vsc} for golden images of ${nameOf(s.source.sc)}`,
      expect: [{ path: ['metadata', 'annotations', ANN.snapshotClassForDataImportCron], equals: vsc, says: `${ANN.snapshotClassForDataImportCron} is ${vsc}` }],
      retrySeconds: 60,
    });
  }
  out.push({ kind: 'skipped', reason: `CDI imports the golden images in the background (and snapshots them with ${vsc ?? 'the images class'}): run \`kvstorage gcp-images verify\` (or Verify in the checklist) until nothing is pending.` });
  return out;
}

export interface GcpImagesPlan {
  detection: Detection;
  situation: Situation;
  result: PlanResult;
}

/** Detection and the plan of the needed steps (plus those asked for with `steps`). */
export function planGcpImages(inputs: GcpImagesInputs, options: GcpImagesOptions = {}): GcpImagesPlan {
  const s = situation(inputs, options);
  const detection = detect(s);
  const fail = (message: string): GcpImagesPlan => ({ detection, situation: s, result: { ok: false, message } });
  if (detection.blocked) return fail(detection.blocked);
  const asked = parseSteps(options.steps);
  if (!asked.ok) return fail(asked.message);
  const chosen = detection.steps.filter((st) => st.id !== 'verify' && (st.state === 'needed' || (asked.steps.has(st.id) && st.state === 'not-needed')));
  const blockers = detection.problems.filter((p) => chosen.some((st) => st.reason === p));
  if (blockers.length > 0) return fail(`Cannot plan the workaround: ${blockers.join(' ')}`);

  const phases: Phase[] = [];
  const planned = new Set<StepId>();
  for (const st of chosen) {
    const w =
      st.id === 'images-storage-class' ? step1Writes(s)
      : st.id === 'default-snapshot-class' ? { writes: step2Writes(s) }
      : st.id === 'images-snapshot-class' ? { writes: step3Writes(s) }
      : st.id === 'storage-profile' ? { writes: step4Writes(s) }
      : st.id === 'golden-image-templates' ? { writes: step5Writes(s) }
      : { writes: step6Writes(s) };
    if (w.writes.length === 0) continue;
    planned.add(st.id);
    phases.push({ id: st.id, title: `Step ${st.step}: ${st.title}`, why: [st.reason, ...('why' in w && w.why ? [w.why] : [])].join(' '), writes: w.writes });
  }
  const forced = chosen.filter((st) => st.state === 'not-needed' && planned.has(st.id));
  const advice = forced.length > 0 ? `The platform does ${forced.length === 1 ? 'this step' : 'these steps'} itself: ${forced.map((st) => `step ${st.step}: ${st.reason}`).join(' ')} Applying ${forced.length === 1 ? 'it' : 'them'} duplicates that work.` : undefined;
  const numbers = STEPS.filter((st) => planned.has(st.id)).map((st) => st.step);
  const plan: Plan = {
    operation: GCP_IMAGES_OPERATION,
    title: numbers.length > 0 ? `GCP golden images: step${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')} of the workaround (golden-image class ${s.className}, namespace ${s.golden.namespace})` : `GCP golden images: nothing to do (every step is done or not needed on this platform)`,
    target: { ...inputs.target, namespace: s.golden.namespace },
    phases,
    checks: phases.length > 0 ? checks(s, planned) : [],
    notes: [
      ...detection.steps.filter((st) => st.id !== 'verify' && !planned.has(st.id)).map((st) => `Step ${st.step} (${st.state}): ${st.reason}`),
      ...detection.notes,
      ...(phases.length > 0 ? ['Undo restores every object the run edited and deletes the classes it created; it never deletes the golden images CDI imports again.'] : []),
    ],
    ...(advice ? { advice } : {}),
  };
  return { detection, situation: s, result: { ok: true, plan, questions: questions(s, options) } };
}
