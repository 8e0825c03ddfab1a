/**
 * What the golden-image workaround needs to know, derived once from what was read: the PD classes and the one
 * to copy, the VolumeSnapshotClasses of the driver (the default, an `images` one by parameter whatever its
 * name), whether CDI does the work itself (v1.65+, CDI #3991), the HyperConverged CR and its API version, and
 * the golden-image namespace. Detection, the planner and verification all read this.
 */
import { laterThanLastTag } from '../../cdi/releases.js';
import { parseCdiVersion } from '../../cdi/version.js';
import { ownValue } from '../../own.js';
import { diskType, isHyperdisk, isRegional, makesImages, PD_DRIVER } from '../../gcp/pdParameters.js';
import { hcoVersion, templatesOf, type HcoView } from './hco.js';
import { ANN, GOLDEN_NAMESPACES } from './keys.js';
import type { GcpImagesInputs, GcpImagesOptions, SnapshotClassJson, StorageClassJson, StorageProfileJson } from './types.js';

export const DEFAULT_CLASS_NAME = 'cnv-images';
/** The name of a standard VolumeSnapshotClass the workaround creates when the driver has none (OpenShift's). */
export const DEFAULT_STANDARD_SNAPSHOT_CLASS = 'csi-gce-pd-vsc';
/** CDI #3991: the first release that picks a snapshot-type images class for golden images itself. */
export const CDI_AUTOMATIC = { major: 1, minor: 65 } as const;
/**
 * CDI #3991 reached release-v1.64 after its only tag, v1.64.0, as #4018 (merged 2026-01-26; read in the CDI
 * repository's release-v1.64 log): a later v1.64 patch may carry it. The annotations it writes on the StorageProfiles
 * say whether it does; the version alone cannot (releases.ts keeps the size backports the same way).
 */
export const AUTOMATIC_BACKPORT = { minor: 64, pr: '#4018', merged: '2026-01-26' } as const;

/** A v1.64 patch newer than its last known tag, which may or may not carry #4018. */
export function mayCarryBackport(v: { major: number; minor: number; patch?: number; newerThanTag?: true }): boolean {
  return v.minor === AUTOMATIC_BACKPORT.minor && laterThanLastTag(v);
}

export const nameOf = (o: { metadata?: { name?: string } }): string => o.metadata?.name ?? '';
const byName = <T extends { metadata?: { name?: string } }>(a: T, b: T): number => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0);
const annotation = (o: { metadata?: { annotations?: Record<string, string> } }, key: string): string | undefined => ownValue(o.metadata?.annotations, key);

export function isDefaultClass(o: { metadata?: { annotations?: Record<string, string> } }, key: string): boolean {
  return annotation(o, key) === 'true';
}

/** The newest, then the first by name: how Kubernetes and CDI pick among several defaults. */
function platformDefault(classes: StorageClassJson[], key: string): StorageClassJson | undefined {
  const time = (sc: StorageClassJson): number => {
    const t = Date.parse(sc.metadata?.creationTimestamp ?? '');
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  return classes.filter((sc) => isDefaultClass(sc, key)).sort((a, b) => time(b) - time(a) || byName(a, b))[0];
}

export interface CdiMode {
  /** CDI picks the images class and RWO for golden images itself. */
  automatic: boolean;
  version?: string;
  /** A sentence: which version, and why that means automatic or not. */
  why: string;
}

export interface Situation {
  inputs: GcpImagesInputs;
  className: string;
  pd: { present: boolean; why: string };
  pdClasses: StorageClassJson[];
  /** The class the images class copies, or why there is none. */
  source: { sc: StorageClassJson; why: string } | { problem: string };
  /** The images StorageClass, when one exists (by name, or by a StorageProfile that names an images class). */
  imagesClass?: { sc: StorageClassJson; how: 'name' | 'profile' };
  /** Why an existing images StorageClass cannot be used as it is (parameters are immutable). */
  imagesClassProblem?: string;
  regionalClasses: string[];
  snapshots: {
    served: boolean;
    standard: SnapshotClassJson[];
    images: SnapshotClassJson[];
    /** The images class golden images should use: an existing one, or the name to create. */
    imagesChoice: { vsc: SnapshotClassJson; why: string } | { create: string } | { problem: string };
    /** The standard class that should be the driver's only default: an existing one, or the name to create. */
    defaultChoice: { vsc: SnapshotClassJson; why: string; alternatives: string[] } | { create: string } | { problem: string };
  };
  cdi: CdiMode;
  hco?: HcoView;
  golden: { namespace: string; why: string; others: string[] };
  /** The StorageProfile of a class, when read. */
  profile(name: string): StorageProfileJson | undefined;
}

function cdiMode(inputs: GcpImagesInputs, pdProfiles: StorageProfileJson[]): CdiMode {
  const v = inputs.cdi.version ? parseCdiVersion(inputs.cdi.version) : undefined;
  const from = inputs.cdi.versionSource ? ` (${inputs.cdi.versionSource})` : '';
  const annotated = pdProfiles.filter((p) => annotation(p, ANN.useReadWriteOnceForDataImportCron) !== undefined || annotation(p, ANN.snapshotClassForDataImportCron) !== undefined).map(nameOf);
  if (!inputs.cdi.served) return { automatic: false, why: 'CDI is not installed (cdi.kubevirt.io is not served)' };
  if (v?.ok && (v.major > CDI_AUTOMATIC.major || (v.major === CDI_AUTOMATIC.major && v.minor >= CDI_AUTOMATIC.minor))) {
    return { automatic: true, version: v.text, why: `CDI ${v.text}${from} picks a snapshot-type images class and ReadWriteOnce for golden images itself (v1.65+, CDI #3991)` };
  }
  if (annotated.length > 0) {
    return {
      automatic: true,
      ...(v?.ok ? { version: v.text } : {}),
      why: `CDI${v?.ok ? ` ${v.text}` : ''}${from} has annotated StorageProfile${annotated.length === 1 ? '' : 's'} ${annotated.join(', ')} with ${ANN.useReadWriteOnceForDataImportCron}/${ANN.snapshotClassForDataImportCron}: it carries CDI #3991 (as OpenShift Virtualization 4.21.1+ does) and picks the images class itself`,
    };
  }
  if (v?.ok && mayCarryBackport(v)) {
    const b = AUTOMATIC_BACKPORT;
    return {
      automatic: false,
      version: v.text,
      why: `CDI ${v.text}${from} is a v1.${b.minor} patch newer than v1.${b.minor}.0: it picks an images class for golden images itself only if it was cut after CDI #3991 reached release-v1.${b.minor} (${b.pr}, ${b.merged}), and no StorageProfile of the driver carries that change's ${ANN.useReadWriteOnceForDataImportCron}/${ANN.snapshotClassForDataImportCron} annotations, so it is taken not to`,
    };
  }
  if (v?.ok) return { automatic: false, version: v.text, why: `CDI ${v.text}${from} is older than v1.65: it does not pick an images class for golden images (CDI #3991)` };
  return { automatic: false, why: `the CDI version is unknown${inputs.cdi.version ? ` ("${inputs.cdi.version}" does not parse)` : ''} and no StorageProfile carries CDI's golden-image annotations: assuming CDI before v1.65` };
}

function chooseSource(inputs: GcpImagesInputs, options: GcpImagesOptions, pdClasses: StorageClassJson[], className: string): Situation['source'] {
  if (options.sourceClass) {
    const sc = inputs.storageClasses.find((s) => nameOf(s) === options.sourceClass);
    if (!sc) return { problem: `StorageClass ${options.sourceClass} (--source-class) does not exist` };
    if (sc.provisioner !== PD_DRIVER) return { problem: `StorageClass ${options.sourceClass} (--source-class) is provisioned by ${sc.provisioner ?? 'nothing'}, not ${PD_DRIVER}` };
    return { sc, why: 'as asked' };
  }
  const candidates = pdClasses.filter((s) => nameOf(s) !== className);
  const virt = platformDefault(candidates, ANN.defaultVirtStorageClass);
  if (virt) return { sc: virt, why: 'the default class for VM disks' };
  const k8s = platformDefault(candidates, ANN.defaultStorageClass);
  if (k8s) return { sc: k8s, why: 'the default class' };
  const hyper = candidates.filter((s) => isHyperdisk(diskType(s.parameters))).sort(byName)[0];
  if (hyper) return { sc: hyper, why: 'the first hyperdisk class by name (no PD class is a default)' };
  const any = [...candidates].sort(byName)[0];
  if (any) return { sc: any, why: 'the first PD class by name (no PD class is a default)' };
  return { problem: `no StorageClass is provisioned by ${PD_DRIVER}: there is no disk class to copy` };
}

function chooseImagesSnapshotClass(images: SnapshotClassJson[], all: SnapshotClassJson[], className: string): Situation['snapshots']['imagesChoice'] {
  const named = images.find((v) => nameOf(v) === className);
  if (named) return { vsc: named, why: `named ${className}` };
  // CDI's own order (findSnapshotClassForDataImportCron): a default-annotated one, else the first by name.
  const preferred = images.find((v) => isDefaultClass(v, ANN.defaultSnapshotClass)) ?? [...images].sort(byName)[0];
  if (preferred) return { vsc: preferred, why: images.length === 1 ? 'the only snapshot-type images class of the driver' : "the one CDI would pick (a default-annotated one, else the first by name)" };
  const clash = all.find((v) => nameOf(v) === className);
  if (clash) return { problem: `VolumeSnapshotClass ${className} exists without snapshot-type: images (driver ${clash.driver ?? 'unset'}): choose another --class-name, or give it the parameter yourself` };
  return { create: className };
}

function chooseDefaultSnapshotClass(standard: SnapshotClassJson[], all: SnapshotClassJson[], options: GcpImagesOptions, sourceProfile: StorageProfileJson | undefined): Situation['snapshots']['defaultChoice'] {
  const names = standard.map(nameOf);
  if (options.defaultSnapshotClass) {
    const v = standard.find((x) => nameOf(x) === options.defaultSnapshotClass);
    if (v) return { vsc: v, why: 'as asked', alternatives: names };
    if (all.some((x) => nameOf(x) === options.defaultSnapshotClass)) return { problem: `VolumeSnapshotClass ${options.defaultSnapshotClass} (--default-snapshot-class) is not a standard class of ${PD_DRIVER} (another driver, or snapshot-type: images)` };
    return { create: options.defaultSnapshotClass };
  }
  const defaults = standard.filter((v) => isDefaultClass(v, ANN.defaultSnapshotClass)).sort(byName);
  if (defaults[0]) return { vsc: defaults[0], why: defaults.length === 1 ? 'the current default' : 'the first by name of the current defaults', alternatives: names };
  const profiled = sourceProfile?.status?.snapshotClass;
  const used = standard.find((v) => nameOf(v) === profiled);
  if (used) return { vsc: used, why: `the class StorageProfile ${nameOf(sourceProfile!)} uses now`, alternatives: names };
  const first = [...standard].sort(byName)[0];
  if (first) return { vsc: first, why: 'the first by name', alternatives: names };
  const clash = all.find((v) => nameOf(v) === DEFAULT_STANDARD_SNAPSHOT_CLASS);
  if (clash) return { problem: `the driver has no standard VolumeSnapshotClass, and ${DEFAULT_STANDARD_SNAPSHOT_CLASS} is taken by another driver: name one with --default-snapshot-class` };
  return { create: DEFAULT_STANDARD_SNAPSHOT_CLASS };
}

/** Namespaces by how many of `items` are in each, most first (then by name). */
function ranked(namespaces: readonly (string | undefined)[]): { namespace: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const ns of namespaces) if (ns) counts.set(ns, (counts.get(ns) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([namespace, count]) => ({ namespace, count }));
}

/**
 * The golden-image namespace, from the strongest evidence down: the option; HCO's `commonBootImageNamespace`;
 * where HCO says its golden images' crons are (`status.dataImportCronTemplates`); where the DataImportCrons are;
 * the well-known namespace that exists; where golden-image snapshots are; the platform's default. A labelled
 * snapshot alone never outweighs a namespace HCO or SSP uses (a user may keep a cron of their own anywhere).
 */
function goldenNamespace(inputs: GcpImagesInputs, options: GcpImagesOptions, hco: HcoView | undefined): Situation['golden'] {
  const crons = ranked(inputs.dataImportCrons.map((c) => c.metadata?.namespace));
  const snapshots = ranked(inputs.cronSnapshots.map((c) => c.metadata?.namespace));
  const everywhere = [...new Set([...crons, ...snapshots].map((x) => x.namespace))];
  const others = (chosen: string): string[] => everywhere.filter((ns) => ns !== chosen).sort();
  const found = (namespace: string, why: string): Situation['golden'] => ({ namespace, why, others: others(namespace) });
  if (options.namespace) return found(options.namespace, 'as asked');
  if (hco?.commonBootImageNamespace) return found(hco.commonBootImageNamespace, `HyperConverged ${hco.commonBootImageNamespacePath.join('.')}`);
  const templates = ranked(hco ? templatesOf(hco).map((t) => t.namespace) : [])[0];
  if (templates) return found(templates.namespace, `where HyperConverged's status puts ${templates.count === 1 ? 'its golden image' : `${templates.count} of its golden images`}`);
  if (crons[0]) return found(crons[0].namespace, `where ${crons[0].count} DataImportCron${crons[0].count === 1 ? ' is' : 's are'}`);
  const preferred = inputs.openshift ? [GOLDEN_NAMESPACES.openshift, GOLDEN_NAMESPACES.upstream] : [GOLDEN_NAMESPACES.upstream, GOLDEN_NAMESPACES.openshift];
  const existing = preferred.find((ns) => inputs.namespaces[ns]);
  if (existing) return found(existing, 'the golden-image namespace that exists (no DataImportCron found)');
  if (snapshots[0]) return found(snapshots[0].namespace, 'where the golden-image snapshots are (no DataImportCron found)');
  return found(preferred[0]!, `${inputs.openshift ? "OpenShift Virtualization's" : "upstream SSP's"} golden-image namespace (it does not exist yet)`);
}

export function situation(inputs: GcpImagesInputs, options: GcpImagesOptions = {}): Situation {
  const pdClasses = inputs.storageClasses.filter((s) => s.provisioner === PD_DRIVER);
  const present = inputs.csiDriver === true || pdClasses.length > 0;
  const pd = {
    present,
    why: inputs.csiDriver ? `CSIDriver ${PD_DRIVER} is installed` : pdClasses.length > 0 ? `${pdClasses.length} StorageClass${pdClasses.length === 1 ? ' is' : 'es are'} provisioned by ${PD_DRIVER}` : `neither a CSIDriver ${PD_DRIVER} nor a StorageClass it provisions exists`,
  };
  const profile = (name: string): StorageProfileJson | undefined => inputs.storageProfiles.find((p) => nameOf(p) === name);
  const vscs = (inputs.snapshotClasses ?? []).filter((v) => v.driver === PD_DRIVER);
  const images = vscs.filter((v) => makesImages(v.parameters));
  const standard = vscs.filter((v) => !makesImages(v.parameters));

  // An images StorageClass by name, else one whose StorageProfile already names an images class (done by hand).
  let className = options.className?.trim() || DEFAULT_CLASS_NAME;
  let imagesClass: Situation['imagesClass'];
  const named = inputs.storageClasses.find((s) => nameOf(s) === className);
  if (named) imagesClass = { sc: named, how: 'name' };
  else if (!options.className) {
    const imageNames = new Set(images.map(nameOf));
    const byProfile = pdClasses.find((s) => imageNames.has(profile(nameOf(s))?.spec?.snapshotClass ?? ''));
    if (byProfile) {
      imagesClass = { sc: byProfile, how: 'profile' };
      className = nameOf(byProfile);
    }
  }
  let imagesClassProblem: string | undefined;
  if (imagesClass) {
    const sc = imagesClass.sc;
    if (sc.provisioner !== PD_DRIVER) imagesClassProblem = `StorageClass ${className} exists but is provisioned by ${sc.provisioner ?? 'nothing'}, not ${PD_DRIVER}: choose another --class-name`;
    else if (isRegional(sc.parameters)) imagesClassProblem = `StorageClass ${className} makes regional disks (${diskType(sc.parameters) === 'hyperdisk-balanced-high-availability' ? 'type hyperdisk-balanced-high-availability' : 'replication-type: regional-pd'}), and the driver cannot make images of regional disks; StorageClass parameters cannot be changed: delete it, or choose another --class-name`;
  }

  const source = chooseSource(inputs, options, pdClasses, className);
  const hco = inputs.hco ? hcoVersion(inputs.hco.apiVersion, inputs.hco.object, inputs.hco.served) : undefined;
  const sourceProfile = 'sc' in source ? profile(nameOf(source.sc)) : undefined;
  return {
    inputs,
    className,
    pd,
    pdClasses,
    source,
    ...(imagesClass ? { imagesClass } : {}),
    ...(imagesClassProblem ? { imagesClassProblem } : {}),
    regionalClasses: pdClasses.filter((s) => isRegional(s.parameters)).map(nameOf).sort(),
    snapshots: {
      served: inputs.snapshotClasses !== undefined,
      standard,
      images,
      imagesChoice: chooseImagesSnapshotClass(images, inputs.snapshotClasses ?? [], className),
      defaultChoice: chooseDefaultSnapshotClass(standard, inputs.snapshotClasses ?? [], options, sourceProfile),
    },
    cdi: cdiMode(inputs, inputs.storageProfiles.filter((p) => pdClasses.some((s) => nameOf(s) === nameOf(p)))),
    ...(hco ? { hco } : {}),
    golden: goldenNamespace(inputs, options, hco),
    profile,
  };
}

/** The images VolumeSnapshotClass's name: the chosen existing one, or the one the plan creates. */
export function imagesSnapshotClassName(s: Situation): string | undefined {
  const c = s.snapshots.imagesChoice;
  return 'vsc' in c ? nameOf(c.vsc) : 'create' in c ? c.create : undefined;
}

