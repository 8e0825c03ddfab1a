/**
 * What CDI's PVC mutating webhook (RenderPvc) and DataVolume controller (pvcFromStorage) turn a PVC spec
 * into, per CDI version. Pure: everything it knows comes from `facts` and `settings`.
 */
import type { Facts } from '../facts.js';
import { ANNOTATION, kinds, LABEL } from '../kinds/index.js';
import type { Settings } from '../types.js';
import { cloneSizeFromSource } from './cloneSize.js';
import type { ModesInput, VolumeModeFrom } from './modes.js';
import { renderModes } from './modes.js';
import { resolveOverhead } from './overhead.js';
import { effectiveVolumeSize, minimumRequestBytes, requiredSpace } from './size.js';
import type { ContentType } from './storageClass.js';
import { admissionDefaultStorageClass, contentTypeOf, pvcContentType } from './storageClass.js';
import type { ResolvedCdiVersion } from './version.js';
import { describeFactSource, resolveCdiVersion } from './version.js';
import type { WebhookPresence } from './webhook.js';
import { pvcRenderingEnabled, pvcWebhookPresence } from './webhook.js';

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
  /** true when CDI's PVC webhook renders this PVC: the applyStorageProfile label, and the webhook exists (`webhook`). */
  webhookApplies: boolean;
  /** Whether and why CDI's PVC webhook sees the PVC (label, live configuration, CDI's configuration, version). */
  webhook: WebhookPresence;
  storageClassName?: string;
  /**
   * 'admission-default': the API server's DefaultStorageClass admission filled an absent class before any
   * webhook ran; 'virt-default'/'default': CDI's own fallback (no Kubernetes default; or controller-side rendering).
   */
  storageClassFrom: 'spec' | 'admission-default' | 'virt-default' | 'default' | 'none' | 'missing' /* named class not found */;
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
  /**
   * Why the API server refuses the PVC as CDI's webhook returns it: validation (ValidatePersistentVolumeClaimSpec)
   * runs after every mutating webhook, and wants `spec.resources.requests.storage` set and greater than 0. Each
   * says what CDI left and the API server's words. Only the webhook's path: the DataVolume controller sizes a clone
   * itself before it creates the PVC.
   */
  refusals: string[];
  /** Facts the model lacked (StorageProfile, PVs, clone sources, ...) that could change the result. */
  unknowns: string[];
  /**
   * The release may or may not carry a change that decides this result (a patch newer than the last known tag):
   * the figures are the release branch's, and messages say "may". Empty when the result is certain.
   */
  uncertain: string[];
  /** Phrases naming each fact the result used and where it came from, for messages. */
  factsUsed: string[];
  /**
   * Present when CDI sizes the claim from its VolumeCloneSource (no size or 0): the size it takes (`bytes`, the
   * source's `text`, `from` naming object and field), or none when it cannot (then `denials`/`unknowns` say why).
   */
  cloneSize?: { bytes?: bigint; text?: string; from?: string };
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

type Base = Omit<RenderResult, 'inflated' | 'minimumApplied' | 'denials' | 'refusals' | 'unknowns' | 'uncertain' | 'factsUsed'> & { denials: string[]; unknowns: string[] };

/** The API server's words for a PVC whose storage request is missing or 0 (ValidatePersistentVolumeClaimSpec, k8s.io/kubernetes v1.34). */
export function storageRequestRefusal(requestBytes: bigint | undefined): string {
  return requestBytes === undefined ? 'spec.resources[storage]: Required value' : `spec.resources[storage]: Invalid value: "${requestBytes}": must be greater than zero`;
}

/** Whether the PVC will not be created: CDI denies it, or the API server refuses what CDI's webhook returns. */
export function isRejected(r: Pick<RenderResult, 'denials' | 'refusals'>): boolean {
  return r.denials.length > 0 || r.refusals.length > 0;
}

/** Who rejects the claim and why, as "CDI would reject it: …" / "The API server would refuse it: …"; undefined when admitted. */
export function rejection(r: Pick<RenderResult, 'denials' | 'refusals'>, what = 'it'): string | undefined {
  if (r.denials.length > 0) return `CDI would reject ${what}: ${r.denials.join('; ')}`;
  if (r.refusals.length > 0) return `The API server would refuse ${what}: ${r.refusals.join('; ')}`;
  return undefined;
}

/** The phrase for the storage class a result ends with. */
function classPhrase(r: Pick<RenderResult, 'storageClassName' | 'storageClassFrom'>, facts: Facts): string {
  const name = r.storageClassName;
  const where = name ? facts.storageClass(name)?.source : undefined;
  const from = where ? `, ${describeFactSource(where)}` : '';
  switch (r.storageClassFrom) {
    case 'spec':
      return `storage class ${name} as written`;
    case 'admission-default':
      return `storage class ${name}: the Kubernetes default class, which the API server's DefaultStorageClass admission fills in before CDI's webhook runs${from}`;
    case 'virt-default':
      return `storage class ${name}: CDI's virt-default class (no Kubernetes default to fill in first${from})`;
    case 'default':
      return `storage class ${name}: the Kubernetes default class, CDI's fallback${from}`;
    case 'missing':
      return `storage class ${name}, not known`;
    case 'none':
      return name === '' ? 'storageClassName "" (no class)' : 'no storage class (none named, no default)';
  }
}

function result(base: Base, facts: Facts, extra: Partial<RenderResult> = {}): RenderResult {
  const r = { inflated: false, minimumApplied: false, refusals: [] as string[], uncertain: [] as string[], factsUsed: [] as string[], ...base, ...extra };
  const used = [r.cdi.describe, `CDI's PVC webhook: ${r.webhook.describe}`];
  used.push(classPhrase(r, facts));
  if (r.overhead !== undefined) used.push(`overhead ${r.overhead} from ${r.overheadSource ?? 'unknown'}`);
  if (r.minimumSupportedPvcSizeBytes !== undefined) {
    const p = r.storageClassName ? facts.storageProfile(r.storageClassName) : undefined;
    const text = p?.minimumSupportedPvcSizeText ?? String(r.minimumSupportedPvcSizeBytes);
    used.push(`StorageProfile ${r.storageClassName} minimumSupportedPvcSize ${text}${p ? ` (${describeFactSource(p.source)})` : ''}${r.cdi.behaviour.appliesMinimumSize ? '' : `, which CDI ${r.cdi.behaviour.version} ignores (the minimum arrived in v1.63.0)`}`);
  }
  return { ...r, uncertain: [...r.cdi.behaviour.uncertain, ...r.uncertain], factsUsed: [...used, ...r.factsUsed] };
}

/**
 * Renders class and modes, then hands over to `size` unless CDI stopped; shared by both paths.
 * `volumeModeFrom` describes `input.volumeMode` as it reaches CDI.
 */
function render(
  input: PvcSpecInput,
  modesInput: ModesInput,
  contentType: ContentType,
  presence: { webhookApplies: boolean; webhook: WebhookPresence; cdi: ResolvedCdiVersion; admissionFilledClass?: boolean },
  facts: Facts,
  size: (base: Base) => RenderResult,
): RenderResult {
  const { webhookApplies, webhook, cdi } = presence;
  const modes = renderModes(modesInput, contentType, facts, cdi.behaviour.profileModeFallback);
  const base: Base = {
    webhookApplies,
    webhook,
    storageClassFrom: presence.admissionFilledClass && modes.storageClass.from === 'spec' ? 'admission-default' : modes.storageClass.from,
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
  if (modes.denial !== undefined) return result(base, facts, { sizeNote: 'not rendered: CDI rejects the spec' });
  return size(base);
}

/**
 * Mirrors renderPvcSpecVolumeSize (pkg/controller/datavolume/util.go: v1.62.0 inflates only; v1.63.0 adds the
 * StorageProfile minimum inline; v1.64.0+ through GetEffectiveVolumeSize, pkg/controller/common/util.go) with
 * InflateSizeWithOverhead (pkg/controller/common/util.go, every version). The overhead is the one of the class now
 * in the spec (the rendered class), and the minimum comes from the StorageProfile of that class name; an
 * annotation that does not parse is ignored, as CDI ignores it.
 */
function renderSize(base: Base, requested: bigint | undefined, isClone: boolean, facts: Facts, settings: Settings, uncertain: string[] = [], clonePath: 'controller' | 'webhook' = 'controller'): RenderResult {
  const done = (b: Base, extra: Partial<RenderResult>) => result(b, facts, { uncertain, ...extra });
  if (requested === undefined) {
    if (isClone && clonePath === 'controller') return done(base, { renderedBytes: 0n, sizeNote: 'clone without a size: CDI sets 0 and takes the size from the source' });
    if (isClone) return webhookCloneWithoutSize(base, facts, uncertain);
    return done({ ...base, denials: [...base.denials, 'PVC Spec is not valid - missing storage size'] }, { sizeNote: 'not rendered: CDI rejects the spec' });
  }
  if (requested < minimumRequestBytes) {
    return done({ ...base, denials: [...base.denials, 'PVC Spec is not valid - storage size should be at least 1MiB'] }, { sizeNote: 'not rendered: CDI rejects the spec' });
  }
  let bytes = requested;
  let extra: Partial<RenderResult> = {};
  if (base.volumeMode === 'Filesystem') {
    const o = resolveOverhead(base.storageClassName, facts, settings, base.cdi.behaviour);
    const r = requiredSpace(requested, o.overhead, base.cdi.behaviour.formula);
    if (!r.ok) {
      return done({ ...base, unknowns: [...base.unknowns, r.error.message] }, { overhead: o.overhead, overheadSource: o.source, sizeNote: 'not predictable' });
    }
    bytes = r.bytes;
    extra = { inflated: true, overhead: o.overhead, overheadSource: o.source };
    if (o.overhead === '0') extra.sizeNote = 'overhead 0: only rounded up to a multiple of 1MiB';
  } else {
    extra = { sizeNote: 'block volume mode' };
  }
  if (base.storageClassName !== undefined) {
    const minimum = facts.storageProfile(base.storageClassName)?.minimumSupportedPvcSizeBytes;
    if (base.cdi.behaviour.appliesMinimumSize) {
      const eff = effectiveVolumeSize(bytes, minimum);
      bytes = eff.bytes;
      extra = { ...extra, minimumApplied: eff.minimumApplied };
    }
    if (minimum !== undefined) extra = { ...extra, minimumSupportedPvcSizeBytes: minimum };
  }
  return done(base, { ...extra, renderedBytes: bytes });
}

/**
 * RenderPvc's `isClone` (<= v1.63): a labelled PVC with a `cdi.kubevirt.io/cloneType` annotation and no size gets
 * a request of 0 from the webhook (setRequestedVolumeSize with an empty Quantity), which the API server's
 * validation then refuses. A later patch of a line that got #3958 as a backport may deny it instead ("missing
 * storage size": the backport removed the allowance); either way the PVC is not created.
 */
function webhookCloneWithoutSize(base: Base, facts: Facts, uncertain: string[]): RenderResult {
  const b = base.cdi.behaviour;
  const ann = ANNOTATION.cloneType;
  const may = b.cloneSizeUncertain.map((u) => `CDI ${b.version} may deny it instead (PVC Spec is not valid - missing storage size): ${u}`);
  return result(base, facts, {
    uncertain: [...uncertain, ...may],
    renderedBytes: 0n,
    refusals: [`CDI ${b.version} sets spec.resources.requests.storage to 0 (the ${ann} annotation lets a clone leave out its size), which the API server's validation refuses (${storageRequestRefusal(0n)})`],
    sizeNote: `clone without a size (${ann} annotation): CDI sets the request to 0, which the API server refuses`,
  });
}

/**
 * Mirrors RenderPvc (pkg/controller/datavolume/util.go, v1.62.0–v1.66.0) as called by the PVC mutating webhook
 * (pkg/apiserver/webhooks/pvc-mutate.go) for PVCs labelled applyStorageProfile=true, when the webhook exists
 * (webhook.ts).
 *
 * The API server acts first: decoding defaults an absent `volumeMode` to Filesystem
 * (SetDefaults_PersistentVolumeClaimSpec), and the DefaultStorageClass admission plugin fills an absent
 * `storageClassName` with the Kubernetes default class, before any mutating webhook. So only `FromStorageProfile`
 * takes the volume mode from the StorageProfile, and CDI's virt-default fallback applies only on clusters without
 * a Kubernetes default. A VolumeCloneSource dataSourceRef skips inflation (an absent or zero size comes from
 * the source: cloneSize.ts); a VolumeSnapshot source skips sizing from v1.64 on (before, it is inflated, and a missing or sub-1MiB
 * size is denied like any other PVC).
 */
export function renderPvc(input: PvcSpecInput, facts: Facts, settings: Settings): RenderResult {
  const cdi = resolveCdiVersion(settings, facts);
  const webhook = pvcWebhookPresence(input.labels, input.namespace, facts, cdi);
  if (!webhook.applies) return untouched(input, facts, cdi, webhook);
  const given = input.volumeMode;
  // PersistentVolumeClaimHasClass: the beta annotation counts as a class, and DefaultStorageClass leaves it alone.
  const filled = input.storageClassName === undefined && !Object.hasOwn(input.annotations, ANNOTATION.betaStorageClass) ? admissionDefaultStorageClass(facts.storageClasses()) : undefined;
  const storageClassName = filled?.name ?? input.storageClassName;
  const modesInput: ModesInput = {
    accessModes: input.accessModes ?? [],
    ...(storageClassName === undefined ? {} : { storageClassName }),
    // FromStorageProfile is cleared to nil by RenderPvc; absent arrives defaulted to Filesystem.
    ...(given === undefined ? { volumeMode: 'Filesystem', volumeModeFrom: 'default' } : given === 'FromStorageProfile' ? { volumeModeFrom: 'default' } : { volumeMode: given, volumeModeFrom: 'spec' }),
  };
  const presence = { webhookApplies: true, webhook, cdi, admissionFilledClass: filled !== undefined };
  return render(input, modesInput, pvcContentType(input.annotations), presence, facts, (base) => renderPvcSize(base, input, facts, settings));
}

/** RenderPvc's size step: a clone source's size from its source (cloneSize.ts), a VolumeSnapshot's left alone (v1.64+), else renderSize. */
function renderPvcSize(base: Base, input: PvcSpecInput, facts: Facts, settings: Settings): RenderResult {
  if (hasCloneSourceRef(input)) {
    // renderClonePvcVolumeSizeFromSource: a non-zero size is kept; otherwise it comes from the source.
    if (input.requestBytes !== undefined && input.requestBytes !== 0n) return result(base, facts, { sizeNote: 'clone source (VolumeCloneSource): size kept as requested' });
    const c = cloneSizeFromSource(input, base, facts, base.cdi.behaviour);
    const b = { ...base, denials: [...base.denials, ...c.denials], unknowns: [...base.unknowns, ...c.unknowns] };
    const size = c.bytes === undefined ? {} : { bytes: c.bytes, ...(c.text === undefined ? {} : { text: c.text }), ...(c.from === undefined ? {} : { from: c.from }) };
    return result(b, facts, { sizeNote: c.sizeNote, uncertain: c.uncertain, factsUsed: c.factsUsed, refusals: c.refusals, cloneSize: size, ...(c.bytes === undefined ? {} : { renderedBytes: c.bytes }) });
  }
  const b = base.cdi.behaviour;
  const snapshot = hasVolumeSnapshotSource(input);
  if (b.skipsSnapshotSources && snapshot) {
    // RenderPvc@v1.64.0 returns before renderPvcSpecVolumeSize: a missing or 0 size reaches the API server's validation as it is.
    const req = input.requestBytes;
    const refusals = req === undefined || req === 0n ? [`CDI ${b.version} leaves a VolumeSnapshot restore's size ${req === undefined ? 'missing' : '0'}, which the API server's validation refuses (${storageRequestRefusal(req)})`] : [];
    return result(base, facts, { sizeNote: 'VolumeSnapshot source (CDI >= v1.64 skips)', refusals });
  }
  const uncertain = b.snapshotSkipUncertain && snapshot ? [`a VolumeSnapshot restore is inflated only if CDI ${b.version} predates the backport that leaves them alone`] : [];
  // isClone (<= v1.63): a cloneType annotation lets the size be absent.
  const isClone = b.cloneTypeAnnotationAllowsNoSize && (input.annotations[ANNOTATION.cloneType] ?? '') !== '';
  return renderSize(base, input.requestBytes, isClone, facts, settings, uncertain, 'webhook');
}

/** How the DataVolume around a `spec.storage` affects its rendering. */
export interface DataVolumeRenderOptions {
  /** `spec.contentType`: "archive" or kubevirt (default). */
  contentType?: string;
  /** `spec.source.pvc` or `spec.source.snapshot` is set: a missing size is allowed (taken from the source). */
  cloneSource?: boolean;
  /** Whether WebhookPvcRendering is on; default: what CDI's configuration says (webhook.ts pvcRenderingEnabled), on when nothing does. */
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
  const cdi = resolveCdiVersion(settings, facts);
  const rendering = options.webhookPvcRendering ?? pvcRenderingEnabled(facts, cdi).enabled !== false;
  if (input.labels[LABEL.applyStorageProfile] === 'true' && rendering) {
    const annotations = options.contentType === undefined ? input.annotations : { ...input.annotations, [ANNOTATION.contentType]: options.contentType };
    return renderPvc({ ...input, annotations, volumeMode: input.volumeMode ?? 'FromStorageProfile' }, facts, settings);
  }
  const given = input.volumeMode;
  const modesInput: ModesInput = {
    accessModes: input.accessModes ?? [],
    ...(input.storageClassName === undefined ? {} : { storageClassName: input.storageClassName }),
    ...(given === undefined || given === 'FromStorageProfile' ? { volumeModeFrom: 'default' } : { volumeMode: given, volumeModeFrom: 'spec' }),
  };
  const webhook: WebhookPresence = { applies: false, basis: 'config', describe: "not involved: the DataVolume controller renders spec.storage itself" };
  return render(input, modesInput, contentTypeOf(options.contentType), { webhookApplies: false, webhook, cdi }, facts, (base) =>
    renderSize(base, input.requestBytes, options.cloneSource ?? false, facts, settings),
  );
}

/**
 * CDI's webhook never sees the PVC (no label, or no webhook): the spec stays as written, but for what the API
 * server fills in itself (the Kubernetes default class; volumeMode Filesystem).
 */
function untouched(input: PvcSpecInput, facts: Facts, cdi: ResolvedCdiVersion, webhook: WebhookPresence): RenderResult {
  const given = input.volumeMode;
  const filled = input.storageClassName === undefined && !Object.hasOwn(input.annotations, ANNOTATION.betaStorageClass) ? admissionDefaultStorageClass(facts.storageClasses()) : undefined;
  const name = filled?.name ?? input.storageClassName;
  const unknowns =
    given === 'FromStorageProfile' && webhook.basis === 'label' ? [`volumeMode FromStorageProfile needs the ${LABEL.applyStorageProfile} label: the API server rejects it otherwise`]
    : given === 'FromStorageProfile' ? ['volumeMode FromStorageProfile without CDI\'s PVC webhook: the API server rejects it']
    : [];
  const labelled = webhook.basis !== 'label';
  return result(
    {
      webhookApplies: false,
      webhook,
      storageClassFrom: filled ? 'admission-default' : name === undefined || name === '' ? 'none' : facts.storageClass(name) ? 'spec' : 'missing',
      accessModes: input.accessModes ?? [],
      volumeMode: given === 'Block' ? 'Block' : 'Filesystem',
      volumeModeFrom: given === undefined ? 'default' : 'spec',
      cdi,
      denials: [],
      unknowns,
      sizeNote: labelled ? `CDI's PVC webhook does not render it (${webhook.describe})` : `CDI's webhook does not apply (no ${LABEL.applyStorageProfile}: "true" label)`,
      ...(name === undefined ? {} : { storageClassName: name }),
      ...(input.requestBytes === undefined ? {} : { requestedBytes: input.requestBytes }),
    },
    facts,
  );
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
  const cdi = resolveCdiVersion(settings, facts);
  const webhook: WebhookPresence = { applies: false, basis: 'config', describe: 'not involved: RenderPvc runs in-process on the spec as written' };
  return render(input, modesInput, pvcContentType(input.annotations), { webhookApplies: false, webhook, cdi }, facts, (base) => renderPvcSize(base, input, facts, settings));
}
