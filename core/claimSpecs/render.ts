/**
 * What CDI makes of a claim, per place (places.ts): the webhook's RenderPvc for PVCs, RenderPvc in-process for
 * VolumeClaimTemplates, the DataVolume controller for `spec.storage`, nothing for `spec.pvc`. The result says
 * each rendered field and why, and where a clone's size comes from.
 */
import type { PvcSpecInput, RenderResult } from '../cdi/render.js';
import { cloneSizeFromSource } from '../cdi/cloneSize.js';
import { hasCloneSourceRef, isRejected, renderDataVolumeStorage, renderPvc, renderPvcInProcess } from '../cdi/render.js';
import type { Facts } from '../facts.js';
import { ANNOTATION } from '../kinds/index.js';
import { groupDigits } from '../quantity.js';
import type { Settings } from '../types.js';
import type { ClaimSpec } from './read.js';

/** The fields rendering decides, as YAML values (storage: a quantity as written, or CDI's byte count). */
export interface ClaimFields {
  storageClassName?: string;
  accessModes?: string[];
  volumeMode?: string;
  storage?: string;
}

/** Where a clone's (or restore's) size comes from. */
export interface SourceSize {
  bytes: bigint;
  /** The quantity as the source states it. */
  text: string;
  /** "VolumeCloneSource vms/golden → PVC vms/fedora (spec.resources.requests.storage)" */
  from: string;
}

export interface RenderedClaim {
  spec: ClaimSpec;
  result: RenderResult;
  written: ClaimFields;
  rendered: ClaimFields;
  /** For a claim with no size that CDI sizes from its clone source, when the source is known. */
  sourceSize?: SourceSize;
  /** Why each rendered field is what it is, one line per field, for hovers and the preview. */
  why: { storageClassName: string; accessModes: string; volumeMode: string; storage: string };
}

const snapshotGroup = 'snapshot.storage.k8s.io';

/**
 * The size of what a claim clones or restores, when it asks for none. A VolumeCloneSource `dataSourceRef` is
 * CDI's webhook model, the one `renderPvc` uses (core/cdi/cloneSize.ts cloneSizeFromSource: looked up in the
 * dataSourceNamespace annotation's namespace, else the claim's; the source PVC's request, or its capacity when
 * the rendered class or volume mode differ; the snapshot's restoreSize), against `target`, the claim as CDI
 * renders it (its class and volume mode, and CDI's version): `target.cloneSize` when that render sized it.
 * Undefined when CDI cannot size it (the render's denials and unknowns say why). Any other source is the CSI
 * driver's clone or restore, with no CDI in the way: a VolumeSnapshot's restoreSize, a PVC's request, in
 * `dataSourceRef.namespace` when it names one (cross-namespace data sources), else the claim's namespace.
 */
export function sourceSizeOf(input: PvcSpecInput, facts: Facts, target: RenderResult): SourceSize | undefined {
  if (hasCloneSourceRef(input)) {
    // The render sized it when the claim asks for no size; otherwise ask the same model as if it asked for none.
    const { requestBytes: _asked, ...unsized } = input;
    const c = target.cloneSize ?? cloneSizeFromSource(unsized, target, facts, target.cdi.behaviour);
    return c.bytes === undefined || c.text === undefined || c.from === undefined ? undefined : { bytes: c.bytes, text: c.text, from: c.from };
  }
  const ref = input.dataSourceRef ?? input.dataSource;
  if (!ref?.name) return undefined;
  const ns = (ref === input.dataSourceRef ? input.dataSourceRef.namespace : undefined) || input.namespace;
  if (ref.kind === 'VolumeSnapshot' && (ref.apiGroup ?? '') === snapshotGroup) return snapshotSize(facts, ns, ref.name);
  if (ref.kind === 'PersistentVolumeClaim' && (ref.apiGroup ?? '') === '') return pvcSize(facts, ns, ref.name);
  return undefined;
}

function snapshotSize(facts: Facts, ns: string, name: string): SourceSize | undefined {
  const s = facts.volumeSnapshot(ns, name);
  if (s?.restoreSizeBytes === undefined || s.restoreSizeText === undefined) return undefined;
  return { bytes: s.restoreSizeBytes, text: s.restoreSizeText, from: `VolumeSnapshot ${ns}/${name} (status.restoreSize)` };
}

function pvcSize(facts: Facts, ns: string, name: string): SourceSize | undefined {
  const p = facts.claimObject?.('PersistentVolumeClaim', ns, name);
  if (p?.requestBytes === undefined || p.requestText === undefined) return undefined;
  return { bytes: p.requestBytes, text: p.requestText, from: `PVC ${ns}/${name} (spec.resources.requests.storage)` };
}

/** CDI's render of one claim without the explanations renderClaim adds (what the rules need); never throws. */
export function renderResultOf(spec: ClaimSpec, facts: Facts, settings: Settings): RenderResult {
  const { input } = spec;
  switch (spec.claim.place.flavour) {
    case 'pvc':
    case 'sts-template':
      return renderPvc(input, facts, settings);
    case 'template':
      return renderPvcInProcess(input, facts, settings);
    case 'dv-storage':
      return renderDataVolumeStorage(input, facts, settings, {
        cloneSource: spec.dataVolume?.cloneSource ?? false,
        ...(spec.dataVolume?.contentType === undefined ? {} : { contentType: spec.dataVolume.contentType }),
      });
    case 'dv-pvc': {
      const verbatim = renderPvc({ ...input, labels: {} }, facts, settings);
      return { ...verbatim, sizeNote: 'spec.pvc is copied verbatim: no StorageProfile, no overhead' };
    }
  }
}

const classWhy: Record<RenderResult['storageClassFrom'], string> = {
  spec: 'as written',
  'virt-default': `the virt default class (${ANNOTATION.defaultVirtStorageClass})`,
  default: 'the Kubernetes default class',
  'admission-default': "the Kubernetes default class, which the API server's DefaultStorageClass admission fills in before CDI's webhook",
  none: 'no class',
  missing: 'named, but no such StorageClass is known',
};

function modeWhy(r: RenderResult): string {
  switch (r.volumeModeFrom) {
    case 'spec':
      return 'as written';
    case 'storage-profile':
      return `from StorageProfile ${r.storageClassName ?? ''}`.trim();
    case 'archive-content-type':
      return 'archive content is always Filesystem';
    case 'default':
      return 'left empty: Kubernetes defaults it to Filesystem';
  }
}

/** Renders one claim; never throws. */
export function renderClaim(spec: ClaimSpec, facts: Facts, settings: Settings): RenderedClaim {
  const result = renderResultOf(spec, facts, settings);
  const { input } = spec;
  const written: ClaimFields = {
    ...(input.storageClassName === undefined ? {} : { storageClassName: input.storageClassName }),
    ...(input.accessModes === undefined ? {} : { accessModes: input.accessModes }),
    ...(input.volumeMode === undefined ? {} : { volumeMode: input.volumeMode }),
    ...(spec.request === undefined ? {} : { storage: spec.request.text }),
  };
  const verbatim = spec.claim.place.flavour === 'dv-pvc' || (!result.webhookApplies && (spec.claim.place.flavour === 'pvc' || spec.claim.place.flavour === 'sts-template'));
  if (verbatim) {
    return { spec, result, written, rendered: written, why: { storageClassName: 'not rendered', accessModes: 'not rendered', volumeMode: 'not rendered', storage: result.sizeNote ?? 'not rendered' } };
  }
  const missingSize = spec.request === undefined || spec.request.bytes === 0n;
  const sourceSize = missingSize ? sourceSizeOf(input, facts, result) : undefined;
  const rendered: ClaimFields = {
    ...(result.storageClassName === undefined ? {} : { storageClassName: result.storageClassName }),
    accessModes: result.accessModes,
    volumeMode: result.volumeMode,
  };
  let storageWhy: string;
  if (isRejected(result)) {
    storageWhy = result.denials.length > 0 ? `CDI rejects the claim: ${result.denials.join('; ')}` : `the API server refuses the claim: ${result.refusals.join('; ')}`;
    if (spec.request) rendered.storage = spec.request.text;
  } else if (sourceSize) {
    rendered.storage = sourceSize.text;
    storageWhy = `from the clone source: ${sourceSize.from}`;
  } else if (result.renderedBytes !== undefined && result.renderedBytes !== 0n) {
    rendered.storage = result.renderedBytes.toString();
    storageWhy = sizeWhy(result);
  } else {
    if (spec.request) rendered.storage = spec.request.text;
    storageWhy = result.sizeNote ?? 'as written';
  }
  return {
    spec,
    result,
    written,
    rendered,
    ...(sourceSize ? { sourceSize } : {}),
    why: {
      storageClassName: classWhy[result.storageClassFrom],
      accessModes: input.accessModes !== undefined && input.accessModes.length > 0 ? 'as written' : result.accessModes.length > 0 ? `from StorageProfile ${result.storageClassName ?? ''}`.trim() : 'none',
      volumeMode: modeWhy(result),
      storage: storageWhy,
    },
  };
}

function sizeWhy(r: RenderResult): string {
  const parts: string[] = [];
  if (r.inflated) parts.push(`${groupDigits(r.requestedBytes ?? 0n)} bytes + filesystem overhead ${r.overhead} (${r.overheadSource})`);
  else if (r.sizeNote) parts.push(r.sizeNote);
  if (r.minimumApplied && r.minimumSupportedPvcSizeBytes !== undefined) parts.push(`raised to the StorageProfile minimum ${groupDigits(r.minimumSupportedPvcSizeBytes)} bytes`);
  parts.push(r.cdi.describe);
  return parts.join('; ');
}
