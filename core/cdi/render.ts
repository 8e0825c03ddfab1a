/**
 * What CDI's PVC mutating webhook (RenderPvc) and DataVolume controller (pvcFromStorage) turn a PVC spec
 * into, per CDI version. Pure: everything it knows comes from `facts` and `settings`.
 */
import type { Facts } from '../facts.js';
import { ANNOTATION, kinds, LABEL } from '../kinds/index.js';
import type { Settings } from '../types.js';
import type { ModesInput, VolumeModeFrom } from './modes.js';
import { renderModes } from './modes.js';
import { resolveOverhead } from './overhead.js';
import { effectiveVolumeSize, minimumRequestBytes, requiredSpace } from './size.js';
import type { ContentType } from './storageClass.js';
import { contentTypeOf, pvcContentType } from './storageClass.js';
import type { ResolvedCdiVersion } from './version.js';
import { resolveCdiVersion } from './version.js';

export type { VolumeModeFrom } from './modes.js';

/** A PVC spec (or DataVolume `spec.storage`) as written. */
export interface PvcSpecInput {
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** undefined = field absent; '' = explicitly "no class" (not the default). */
  storageClassName?: string;
  accessModes?: string[];
  volumeMode?: string; // may be 'FromStorageProfile'
  requestBytes?: bigint; // spec.resources.requests.storage, already parsed
  dataSource?: { apiGroup?: string; kind?: string; name?: string };
  dataSourceRef?: { apiGroup?: string; kind?: string; name?: string; namespace?: string };
}

/** The predicted result of CDI's rendering. */
export interface RenderResult {
  /** true when the applyStorageProfile label is "true" (the webhook mutates this PVC). */
  webhookApplies: boolean;
  storageClassName?: string;
  storageClassFrom: 'spec' | 'virt-default' | 'default' | 'none' | 'missing' /* named class not found */;
  accessModes: string[];
  volumeMode: 'Filesystem' | 'Block';
  volumeModeFrom: VolumeModeFrom;
  requestedBytes?: bigint;
  /** What CDI renders spec.resources.requests.storage to; undefined when CDI leaves it alone. */
  renderedBytes?: bigint;
  inflated: boolean;
  /** Why size was not inflated, when it was not: e.g. 'block volume mode', 'VolumeSnapshot source (CDI >= v1.64 skips)', 'clone source' */
  sizeNote?: string;
  overhead?: string;
  overheadSource?: string;
  minimumSupportedPvcSizeBytes?: bigint;
  minimumApplied: boolean;
  cdi: ResolvedCdiVersion;
  /**
   * Errors CDI's webhook would deny the PVC with (it has failurePolicy Fail), e.g. "PVC Spec is not valid -
   * missing storage size". For renderDataVolumeStorage these are the DV controller's errors instead.
   */
  denials: string[];
  /** Facts the model lacked (StorageProfile, PVs, clone sources, ...) that could change the result. */
  unknowns: string[];
}


/** Mirrors hasVolumeSnapshotDataSource (pkg/controller/datavolume/util.go, v1.64+): either reference names a VolumeSnapshot. */
export function hasVolumeSnapshotSource(input: PvcSpecInput): boolean {
  return [input.dataSource, input.dataSourceRef].some((r) => r?.apiGroup === kinds.VolumeSnapshot.group && r.kind === 'VolumeSnapshot');
}

/** Mirrors hasCloneSourceRef (pkg/controller/datavolume/util.go, v1.58+): dataSourceRef to a cdi.kubevirt.io VolumeCloneSource. */
export function hasCloneSourceRef(input: PvcSpecInput): boolean {
  const r = input.dataSourceRef;
  return r?.apiGroup === 'cdi.kubevirt.io' && r.kind === 'VolumeCloneSource' && (r.name ?? '') !== '';
}

type Base = Omit<RenderResult, 'inflated' | 'minimumApplied' | 'denials' | 'unknowns'> & { denials: string[]; unknowns: string[] };

function result(base: Base, extra: Partial<RenderResult> = {}): RenderResult {
  return { inflated: false, minimumApplied: false, ...base, ...extra };
}

/**
 * Renders class and modes, then hands over to `size` unless CDI stopped; shared by both paths.
 * `volumeModeFrom` describes `input.volumeMode` as it reaches CDI.
 */
function render(
  input: PvcSpecInput,
  modesInput: ModesInput,
  contentType: ContentType,
  webhookApplies: boolean,
  facts: Facts,
  settings: Settings,
  size: (base: Base) => RenderResult,
): RenderResult {
  const cdi = resolveCdiVersion(settings, facts);
  const modes = renderModes(modesInput, contentType, facts);
  const base: Base = {
    webhookApplies,
    storageClassFrom: modes.storageClass.from,
    accessModes: modes.accessModes,
    volumeMode: modes.volumeMode === 'Block' ? 'Block' : 'Filesystem',
    volumeModeFrom: modes.volumeModeFrom,
    cdi,
    denials: modes.denial === undefined ? [] : [modes.denial],
    unknowns: [...modes.unknowns],
    ...(modes.storageClass.name === undefined ? {} : { storageClassName: modes.storageClass.name }),
    ...(input.requestBytes === undefined ? {} : { requestedBytes: input.requestBytes }),
  };
  if (modes.volumeMode !== undefined && modes.volumeMode !== 'Block' && modes.volumeMode !== 'Filesystem') {
    base.unknowns.push(`volumeMode "${modes.volumeMode}" is not valid: CDI treats it as Filesystem and the API server rejects it`);
  }
  if (modes.denial !== undefined) return result(base, { sizeNote: 'not rendered: CDI rejects the spec' });
  return size(base);
}

/**
 * Mirrors renderPvcSpecVolumeSize (pkg/controller/datavolume/util.go, v1.63+) with InflateSizeWithOverhead
 * and GetEffectiveVolumeSize (pkg/controller/common). The overhead is the one of the class now in the spec
 * (the rendered class), and the minimum comes from the StorageProfile of that class name.
 */
function renderSize(base: Base, requested: bigint | undefined, isClone: boolean, facts: Facts, settings: Settings): RenderResult {
  if (requested === undefined) {
    if (isClone) return result(base, { renderedBytes: 0n, sizeNote: 'clone without a size: CDI sets 0 and takes the size from the source' });
    return result({ ...base, denials: [...base.denials, 'PVC Spec is not valid - missing storage size'] }, { sizeNote: 'not rendered: CDI rejects the spec' });
  }
  if (requested < minimumRequestBytes) {
    return result({ ...base, denials: [...base.denials, 'PVC Spec is not valid - storage size should be at least 1MiB'] }, { sizeNote: 'not rendered: CDI rejects the spec' });
  }
  let bytes = requested;
  let extra: Partial<RenderResult> = {};
  if (base.volumeMode === 'Filesystem') {
    const o = resolveOverhead(base.storageClassName, facts, settings, base.cdi.behaviour);
    const r = requiredSpace(requested, o.overhead, base.cdi.behaviour.formula);
    if (!r.ok) {
      return result({ ...base, unknowns: [...base.unknowns, r.error.message] }, { overhead: o.overhead, overheadSource: o.source, sizeNote: 'not predictable' });
    }
    bytes = r.bytes;
    extra = { inflated: true, overhead: o.overhead, overheadSource: o.source };
    if (o.overhead === '0') extra.sizeNote = 'overhead 0: only rounded up to a multiple of 1MiB';
  } else {
    extra = { sizeNote: 'block volume mode' };
  }
  if (base.storageClassName !== undefined) {
    const profile = facts.storageProfile(base.storageClassName);
    const minimum = profile?.minimumSupportedPvcSizeBytes;
    const eff = effectiveVolumeSize(bytes, minimum);
    bytes = eff.bytes;
    extra = { ...extra, minimumApplied: eff.minimumApplied, ...(minimum === undefined ? {} : { minimumSupportedPvcSizeBytes: minimum }) };
  }
  return result(base, { ...extra, renderedBytes: bytes });
}

/**
 * Mirrors RenderPvc (pkg/controller/datavolume/util.go) as called by the PVC mutating webhook
 * (pkg/apiserver/webhooks/pvc-mutate.go) for PVCs labelled applyStorageProfile=true.
 *
 * The API server applies defaults before admission, so an absent `volumeMode` reaches the webhook as
 * Filesystem and only `FromStorageProfile` (or Block/Filesystem) decides; StorageProfile volume modes apply
 * only with `FromStorageProfile`. A VolumeCloneSource dataSourceRef skips sizing (the size comes from the
 * source when absent); a VolumeSnapshot source skips sizing from v1.64 on (before, it is inflated, and a
 * missing or sub-1MiB size is denied like any other PVC).
 */
export function renderPvc(input: PvcSpecInput, facts: Facts, settings: Settings): RenderResult {
  if (input.labels[LABEL.applyStorageProfile] !== 'true') return untouched(input, facts, settings);
  const given = input.volumeMode;
  const modesInput: ModesInput = {
    accessModes: input.accessModes ?? [],
    ...(input.storageClassName === undefined ? {} : { storageClassName: input.storageClassName }),
    // FromStorageProfile is cleared to nil by RenderPvc; absent arrives defaulted to Filesystem.
    ...(given === undefined ? { volumeMode: 'Filesystem', volumeModeFrom: 'default' } : given === 'FromStorageProfile' ? { volumeModeFrom: 'default' } : { volumeMode: given, volumeModeFrom: 'spec' }),
  };
  return render(input, modesInput, pvcContentType(input.annotations), true, facts, settings, (base) => renderPvcSize(base, input, facts, settings));
}

/** RenderPvc's size step: a clone source's size from its source, a VolumeSnapshot's left alone (v1.64+), else renderSize. */
function renderPvcSize(base: Base, input: PvcSpecInput, facts: Facts, settings: Settings): RenderResult {
  if (hasCloneSourceRef(input)) {
    // renderClonePvcVolumeSizeFromSource: a non-zero size is kept; otherwise it comes from the source.
    if (input.requestBytes !== undefined && input.requestBytes !== 0n) return result(base, { sizeNote: 'clone source (VolumeCloneSource): size kept as requested' });
    return result({ ...base, unknowns: [...base.unknowns, 'size comes from the VolumeCloneSource source (restoreSize or source PVC), which is not modelled'] }, { sizeNote: 'clone source (VolumeCloneSource): size taken from the source' });
  }
  if (base.cdi.behaviour.skipsSnapshotSources && hasVolumeSnapshotSource(input)) {
    return result(base, { sizeNote: 'VolumeSnapshot source (CDI >= v1.64 skips)' });
  }
  return renderSize(base, input.requestBytes, false, facts, settings);
}

/** How the DataVolume around a `spec.storage` affects its rendering. */
export interface DataVolumeRenderOptions {
  /** `spec.contentType`: "archive" or kubevirt (default). */
  contentType?: string;
  /** `spec.source.pvc` or `spec.source.snapshot` is set: a missing size is allowed (taken from the source). */
  cloneSource?: boolean;
  /** Whether WebhookPvcRendering is on (default true: CDI v1.66 default, HCO >= 1.16 enables it). */
  webhookPvcRendering?: boolean;
}

/**
 * Renders a DataVolume `spec.storage` the way the DV controller does (same model; `spec.pvc` is NOT rendered —
 * copied verbatim). Mirrors pvcFromStorage (pkg/controller/datavolume/util.go, v1.6x): `spec.storage` is a
 * CRD field with no API defaulting, so an absent volumeMode takes the StorageProfile's. When the DV carries
 * applyStorageProfile=true and webhook rendering is on, the controller instead creates the PVC with
 * volumeMode FromStorageProfile (if empty) and the PVC webhook renders it, snapshot skip included. The
 * controller's own path has no VolumeSnapshot skip in any version (#3973 changed RenderPvc only).
 */
export function renderDataVolumeStorage(input: PvcSpecInput, facts: Facts, settings: Settings, options: DataVolumeRenderOptions = {}): RenderResult {
  if (input.labels[LABEL.applyStorageProfile] === 'true' && options.webhookPvcRendering !== false) {
    const annotations = options.contentType === undefined ? input.annotations : { ...input.annotations, [ANNOTATION.contentType]: options.contentType };
    return renderPvc({ ...input, annotations, volumeMode: input.volumeMode ?? 'FromStorageProfile' }, facts, settings);
  }
  const given = input.volumeMode;
  const modesInput: ModesInput = {
    accessModes: input.accessModes ?? [],
    ...(input.storageClassName === undefined ? {} : { storageClassName: input.storageClassName }),
    ...(given === undefined || given === 'FromStorageProfile' ? { volumeModeFrom: 'default' } : { volumeMode: given, volumeModeFrom: 'spec' }),
  };
  return render(input, modesInput, contentTypeOf(options.contentType), false, facts, settings, (base) =>
    renderSize(base, input.requestBytes, options.cloneSource ?? false, facts, settings),
  );
}

/** Without the label CDI's webhook never sees the PVC: the spec stays as written. */
function untouched(input: PvcSpecInput, facts: Facts, settings: Settings): RenderResult {
  const name = input.storageClassName;
  const given = input.volumeMode;
  const unknowns = given === 'FromStorageProfile' ? [`volumeMode FromStorageProfile needs the ${LABEL.applyStorageProfile} label: the API server rejects it otherwise`] : [];
  return result({
    webhookApplies: false,
    storageClassFrom: name === undefined || name === '' ? 'none' : facts.storageClass(name) ? 'spec' : 'missing',
    accessModes: input.accessModes ?? [],
    volumeMode: given === 'Block' ? 'Block' : 'Filesystem',
    volumeModeFrom: given === undefined ? 'default' : 'spec',
    cdi: resolveCdiVersion(settings, facts),
    denials: [],
    unknowns,
    sizeNote: `CDI's webhook does not apply (no ${LABEL.applyStorageProfile}: "true" label)`,
    ...(name === undefined ? {} : { storageClassName: name }),
    ...(input.requestBytes === undefined ? {} : { requestedBytes: input.requestBytes }),
  });
}

/**
 * RenderPvc called in-process on a spec that has not been through the API server: what the VolumeClaimTemplates
 * design has KubeVirt's VM controller do with the CDI API library, and what the tools' "Fill from StorageProfile",
 * expansion and `create-pvc` do. Nothing defaulted the spec yet, so an absent class takes the virt default, then
 * the Kubernetes default (getFallbackStorageClass), and an absent volumeMode (or FromStorageProfile) the
 * StorageProfile's; sizes as RenderPvc. Mirrors RenderPvc (pkg/controller/datavolume/util.go, v1.6x) without
 * the API server's defaulting. `webhookApplies` is false: no webhook is involved.
 */
export function renderPvcInProcess(input: PvcSpecInput, facts: Facts, settings: Settings): RenderResult {
  const given = input.volumeMode;
  const modesInput: ModesInput = {
    accessModes: input.accessModes ?? [],
    ...(input.storageClassName === undefined ? {} : { storageClassName: input.storageClassName }),
    ...(given === undefined || given === '' || given === 'FromStorageProfile' ? { volumeModeFrom: 'default' } : { volumeMode: given, volumeModeFrom: 'spec' }),
  };
  return render(input, modesInput, pvcContentType(input.annotations), false, facts, settings, (base) => renderPvcSize(base, input, facts, settings));
}
