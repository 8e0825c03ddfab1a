/**
 * Detection: each of the seven steps of the workaround is needed, done, or not needed on this platform, and
 * why. "Not needed" is where the platform does it (CDI v1.65+ picks a snapshot-type images class and
 * ReadWriteOnce for golden images itself, and re-imports those on another class; OpenShift 4.22 ships
 * `csi-gce-pd-vsc-images`), or where there is nothing to do (no golden-image snapshots to re-import).
 */
import { diskType, PD_DRIVER } from '../../gcp/pdParameters.js';
import { templatesOf } from './hco.js';
import { ANN, LABEL } from './keys.js';
import { imagesSnapshotClassName, isDefaultClass, nameOf, type Situation } from './situation.js';
import type { StepId, StepReport, StepState } from './types.js';
import { rwoOnly, verify, type VerifyReport } from './verify.js';

export const STEPS: readonly { step: number; id: StepId; title: string }[] = [
  { step: 1, id: 'images-storage-class', title: 'A StorageClass for golden images' },
  { step: 2, id: 'default-snapshot-class', title: 'The default VolumeSnapshotClass' },
  { step: 3, id: 'images-snapshot-class', title: 'A VolumeSnapshotClass with snapshot-type: images' },
  { step: 4, id: 'storage-profile', title: "The golden-image class's StorageProfile" },
  { step: 5, id: 'golden-image-templates', title: "HyperConverged's dataImportCronTemplates" },
  { step: 6, id: 'golden-image-snapshots', title: 'Re-import the golden images' },
  { step: 7, id: 'verify', title: 'Verify' },
];

export interface Detection {
  steps: StepReport[];
  /** Why the workaround does not apply to this cluster at all (no PD driver, no CDI, no snapshot API). */
  blocked?: string;
  /** What stops a needed step from being planned (an existing object that cannot be changed, …). */
  problems: string[];
  /** Facts the user should know, one sentence each (CDI's mode, HCO's API version, the namespace). */
  notes: string[];
  verification: VerifyReport;
}

type Decided = { state: StepState; reason: string; problem?: string };

const needed = (reason: string, problem?: string): Decided => ({ state: 'needed', reason, ...(problem ? { problem } : {}) });
const done = (reason: string): Decided => ({ state: 'done', reason });
const notNeeded = (reason: string): Decided => ({ state: 'not-needed', reason });

function sourceText(s: Situation): string {
  return 'sc' in s.source ? `${nameOf(s.source.sc)} (${s.source.why}, type ${diskType(s.source.sc.parameters)})` : 'no class';
}

function step1(s: Situation): Decided {
  const name = s.className;
  if (s.imagesClassProblem) return needed(s.imagesClassProblem, s.imagesClassProblem);
  if (s.imagesClass) {
    const sc = s.imagesClass.sc;
    const defaults = [ANN.defaultStorageClass, ANN.defaultVirtStorageClass].filter((k) => isDefaultClass(sc, k));
    if (defaults.length > 0) return needed(`StorageClass ${name} is marked default (${defaults.join(', ')}): every PVC and VM disk without a class would land on the golden-image class; the plan sets ${defaults.length === 1 ? 'it' : 'them'} to "false".`);
    const how = s.imagesClass.how === 'profile' ? ` (its StorageProfile already names images class ${s.profile(name)?.spec?.snapshotClass ?? ''})` : '';
    return done(`StorageClass ${name} exists (type ${diskType(sc.parameters)})${how}.`);
  }
  if (s.cdi.automatic) return notNeeded(`${s.cdi.why}: golden images stay on ${'sc' in s.source ? nameOf(s.source.sc) : 'the default class'}, imported ReadWriteOnce; no class of their own is needed.`);
  if ('problem' in s.source) return needed(s.source.problem, s.source.problem);
  return needed(`Golden images need a ReadWriteOnce class of their own whose StorageProfile names the images snapshot class; the plan creates ${name} as a copy of ${sourceText(s)}, never a default.`);
}

function step2(s: Situation): Decided {
  const c = s.snapshots.defaultChoice;
  if ('problem' in c) return needed(c.problem, c.problem);
  if ('create' in c) return needed(`${PD_DRIVER} has no standard VolumeSnapshotClass: VM snapshots need one as the default, or CDI and the snapshot controller would pick the images class; the plan creates ${c.create} as the default.`);
  const name = nameOf(c.vsc);
  const defaults = s.snapshots.standard.filter((v) => isDefaultClass(v, ANN.defaultSnapshotClass)).map(nameOf).sort();
  if (defaults.length === 1 && defaults[0] === name) return done(`${name} is the default VolumeSnapshotClass of ${PD_DRIVER}.`);
  if (defaults.length === 0) return needed(`No VolumeSnapshotClass of ${PD_DRIVER} is the default: snapshots that name no class fail, and CDI picks the first by name for StorageProfiles (once an images class exists, that may be it); the plan marks ${name} (${c.why}) the default.`);
  if (defaults.length > 1) return needed(`${defaults.length} VolumeSnapshotClasses of ${PD_DRIVER} are marked default (${defaults.join(', ')}): the snapshot controller refuses snapshots that name no class ("${defaults.length} default snapshot classes were found"); the plan keeps ${name} (${c.why}) and sets the others to "false".`);
  return needed(`${defaults[0]} is the default VolumeSnapshotClass of ${PD_DRIVER}; the plan makes ${name} (${c.why}) the default instead.`);
}

function step3(s: Situation): Decided {
  const c = s.snapshots.imagesChoice;
  if ('problem' in c) return needed(c.problem, c.problem);
  const auto = s.cdi.automatic ? ` ${s.cdi.why}: it picks the class once it exists.` : '';
  if ('create' in c) return needed(`No VolumeSnapshotClass of ${PD_DRIVER} has snapshot-type: images (images restore into ReadWriteMany hyperdisk without the 6-restores-per-hour limit); the plan creates ${c.create}, not the default.${auto}`);
  const name = nameOf(c.vsc);
  if (isDefaultClass(c.vsc, ANN.defaultSnapshotClass)) return needed(`${name} (snapshot-type: images) is marked default: every VM snapshot would become an image; the plan sets it to "false".`);
  const shipped = s.inputs.openshift && name === 'csi-gce-pd-vsc-images' ? ' (OpenShift 4.22 ships it)' : '';
  return done(`${name} has snapshot-type: images and is not the default${shipped}.`);
}

function step4(s: Situation): Decided {
  if (s.cdi.automatic) {
    const src = 'sc' in s.source ? nameOf(s.source.sc) : undefined;
    const now = src ? s.profile(src)?.metadata?.annotations?.[ANN.snapshotClassForDataImportCron] : undefined;
    return notNeeded(`${s.cdi.why}: it sets ${ANN.snapshotClassForDataImportCron} on StorageProfile ${src ?? 'of the golden-image class'} itself${now ? ` (now ${now})` : ' once an images class exists'}.`);
  }
  const vsc = imagesSnapshotClassName(s) ?? 'the images class';
  const p = s.profile(s.className);
  if (p && rwoOnly(p.spec?.claimPropertySets) && p.spec?.snapshotClass === vsc) return done(`StorageProfile ${s.className} offers ReadWriteOnce only and names snapshot class ${vsc}.`);
  const has = p ? ` (it ${p.spec?.claimPropertySets ? 'has other claim property sets' : 'has none in spec'}${p.spec?.snapshotClass ? `, snapshot class ${p.spec.snapshotClass}` : ''})` : ' (CDI creates it with the class; the plan writes it first)';
  return needed(`StorageProfile ${s.className} must offer ReadWriteOnce Block and Filesystem only (images are made of ReadWriteOnce disks) and name snapshot class ${vsc}${has}.`);
}

function step5(s: Situation): Decided {
  const name = s.className;
  if (s.hco) {
    const all = templatesOf(s.hco);
    const on = all.filter((t) => t.storageClassName === name);
    const where = `HyperConverged ${s.hco.namespace}/${s.hco.name} (${s.hco.apiVersion}${s.hco.version ? `, HCO ${s.hco.version}` : ''})`;
    if (s.cdi.automatic) return notNeeded(`${s.cdi.why}: golden images stay on the default class, so ${where} needs no storage class${on.length > 0 ? ` (${on.length} template${on.length === 1 ? '' : 's'} already point at ${name} from an earlier manual setup: left as they are)` : ''}.`);
    if (all.length === 0) return notNeeded(`${where} lists no golden images (no dataImportCronTemplates in spec or status).`);
    const off = all.filter((t) => t.storageClassName !== name);
    if (off.length === 0) return done(`All ${all.length} golden images of ${where} use ${name}.`);
    return needed(`${off.length} of ${all.length} golden images of ${where} are not on ${name} (${off.map((t) => t.name).join(', ')}): the plan sets storage.storageClassName in ${s.hco.templatesPath.join('.')}; pre-defined images are copied from the status with only storage changed.`);
  }
  const crons = s.inputs.dataImportCrons.filter((c) => c.metadata?.namespace === s.golden.namespace);
  if (s.cdi.automatic) return notNeeded(`${s.cdi.why}: golden images stay on the default class.`);
  if (crons.length === 0) return notNeeded(`There is no HyperConverged CR and no DataImportCron in ${s.golden.namespace}.`);
  const off = crons.filter((c) => c.spec?.template?.spec?.storage?.storageClassName !== name);
  if (off.length === 0) return done(`All ${crons.length} DataImportCrons in ${s.golden.namespace} use ${name}.`);
  return needed(`There is no HyperConverged CR: the plan points ${off.length} DataImportCron${off.length === 1 ? '' : 's'} in ${s.golden.namespace} (${off.map(nameOf).join(', ')}) at ${name} directly; whoever manages them may set them back.`);
}

/** The crons whose golden-image snapshots in the namespace are not on the images class. */
export function staleCrons(s: Situation): { crons: string[]; stale: number; total: number } {
  const vsc = imagesSnapshotClassName(s);
  const snaps = s.inputs.cronSnapshots.filter((x) => x.metadata?.namespace === s.golden.namespace);
  const off = snaps.filter((x) => x.spec?.volumeSnapshotClassName !== vsc);
  const crons = [...new Set(off.map((x) => x.metadata?.labels?.[LABEL.dataImportCron] ?? '').filter((c) => c !== ''))].sort();
  return { crons, stale: off.length, total: snaps.length };
}

function step6(s: Situation): Decided {
  const ns = s.golden.namespace;
  const vsc = imagesSnapshotClassName(s) ?? 'the images class';
  const { crons, stale, total } = staleCrons(s);
  if (total === 0) return notNeeded(`No golden-image VolumeSnapshot (labelled ${LABEL.dataImportCron}) in ${ns}: nothing to re-import; the next import uses the new settings.`);
  if (stale === 0) return done(`All ${total} golden-image snapshot${total === 1 ? '' : 's'} in ${ns} use ${vsc}.`);
  if (s.cdi.automatic) return notNeeded(`${s.cdi.why}: it deletes and re-imports a golden image whose snapshot is not on the StorageProfile's class itself (${stale} of ${total} in ${ns} are not on ${vsc} yet).`);
  return needed(`${stale} of ${total} golden-image snapshots in ${ns} are not on ${vsc} (DataImportCron${crons.length === 1 ? '' : 's'} ${crons.join(', ')}): deleting them makes CDI import those images again, as ReadWriteOnce on ${s.className}, snapshotted with ${vsc}.`);
}

function step7(report: VerifyReport): Decided {
  if (report.state === 'verified') return done(report.summary);
  return needed(report.summary);
}

export function detect(s: Situation): Detection {
  const verification = verify(s);
  const blocked = !s.pd.present
    ? `This cluster has no GCP PD CSI driver (${s.pd.why}): the workaround is for golden images on GCP persistent disks.`
    : !s.inputs.cdi.served
      ? 'CDI is not installed (cdi.kubevirt.io is not served): there are no golden images to configure.'
      : !s.snapshots.served
        ? 'The cluster does not serve VolumeSnapshots (snapshot.storage.k8s.io/v1): golden images cannot be snapshots.'
        : undefined;
  const decisions: Decided[] = blocked
    ? STEPS.map(() => notNeeded(blocked))
    : [step1(s), step2(s), step3(s), step4(s), step5(s), step6(s), step7(verification)];
  const steps = STEPS.map((d, i): StepReport => ({ ...d, state: decisions[i]!.state, reason: decisions[i]!.reason }));
  const problems = decisions.flatMap((d) => (d.problem ? [d.problem] : []));
  const notes: string[] = [];
  if (!blocked) {
    notes.push(`${s.cdi.why[0]!.toUpperCase()}${s.cdi.why.slice(1)}.`);
    if (s.hco) notes.push(`HyperConverged ${s.hco.namespace}/${s.hco.name} is read at ${s.hco.apiVersion}${s.hco.version ? ` (HCO ${s.hco.version})` : ''}: its golden images are at ${s.hco.templatesPath.join('.')}.`);
    else if (s.inputs.hcoServed) notes.push('hco.kubevirt.io is served but no HyperConverged CR was found.');
    notes.push(`Golden-image namespace: ${s.golden.namespace} (${s.golden.why})${s.golden.others.length > 0 ? `; DataImportCrons or golden-image snapshots are also in ${s.golden.others.join(', ')} (not touched)` : ''}.`);
    if (s.regionalClasses.length > 0) notes.push(`Regional classes (${s.regionalClasses.join(', ')}): images cannot be made of regional disks, so golden images must not be imported onto them; the golden-image class is zonal.`);
    if (s.inputs.snapshotV1beta1Served) notes.push('The cluster still serves snapshot.storage.k8s.io/v1beta1; manifests should say v1.');
  }
  notes.push(...s.inputs.unread);
  return { steps, ...(blocked ? { blocked } : {}), problems, notes, verification };
}
