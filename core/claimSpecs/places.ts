/**
 * Where PVC specs ("claims") are written, and how each place gets rendered: a PVC, a VirtualMachine's
 * `volumeClaimTemplates` (the design's, which KubeVirt never merged) and `dataVolumeTemplates`, a DataVolume's
 * `spec.storage` and `spec.pvc`, a StatefulSet's `volumeClaimTemplates`. Completion, hover, the render preview,
 * "Fill from StorageProfile" and the rules all find claims through this table.
 */
import type { Resource } from '../resources.js';
import type { YamlPath } from '../yaml/documents.js';
import { scalarString, sequenceNodes } from '../yaml/documents.js';
import { walkNode } from '../yaml/navigate.js';

/**
 * How CDI treats a place:
 * - `pvc`: a PersistentVolumeClaim; the API server defaults it, then CDI's PVC webhook renders it when labelled
 *   `cdi.kubevirt.io/applyStorageProfile: "true"`;
 * - `sts-template`: the PVCs a StatefulSet creates, likewise;
 * - `template`: a VM `volumeClaimTemplates` entry, rendered in-process (RenderPvc, nothing defaulted yet) by the
 *   VM controller the design describes, and by the tools' expansion;
 * - `dv-storage`: DataVolume `spec.storage` (also inside `dataVolumeTemplates`), rendered by the DV controller;
 * - `dv-pvc`: DataVolume `spec.pvc`, copied verbatim: StorageProfiles are bypassed.
 */
export type ClaimFlavour = 'pvc' | 'sts-template' | 'template' | 'dv-storage' | 'dv-pvc';

export interface ClaimPlace {
  kind: 'PersistentVolumeClaim' | 'VirtualMachine' | 'DataVolume' | 'StatefulSet';
  flavour: ClaimFlavour;
  /** The spec's path in the object; `'*'` is each item of a sequence. */
  spec: readonly (string | '*')[];
  /** The metadata (name, labels, annotations) that goes with the spec. */
  metadata: readonly (string | '*')[];
  /** What one is called in messages: "volumeClaimTemplate", "dataVolumeTemplate spec.storage". */
  noun: string;
}

export const claimPlaces: readonly ClaimPlace[] = [
  { kind: 'PersistentVolumeClaim', flavour: 'pvc', spec: ['spec'], metadata: ['metadata'], noun: 'PVC' },
  { kind: 'VirtualMachine', flavour: 'template', spec: ['spec', 'volumeClaimTemplates', '*', 'spec'], metadata: ['spec', 'volumeClaimTemplates', '*', 'metadata'], noun: 'volumeClaimTemplate' },
  { kind: 'VirtualMachine', flavour: 'dv-storage', spec: ['spec', 'dataVolumeTemplates', '*', 'spec', 'storage'], metadata: ['spec', 'dataVolumeTemplates', '*', 'metadata'], noun: 'dataVolumeTemplate spec.storage' },
  { kind: 'VirtualMachine', flavour: 'dv-pvc', spec: ['spec', 'dataVolumeTemplates', '*', 'spec', 'pvc'], metadata: ['spec', 'dataVolumeTemplates', '*', 'metadata'], noun: 'dataVolumeTemplate spec.pvc' },
  { kind: 'DataVolume', flavour: 'dv-storage', spec: ['spec', 'storage'], metadata: ['metadata'], noun: 'spec.storage' },
  { kind: 'DataVolume', flavour: 'dv-pvc', spec: ['spec', 'pvc'], metadata: ['metadata'], noun: 'spec.pvc' },
  { kind: 'StatefulSet', flavour: 'sts-template', spec: ['spec', 'volumeClaimTemplates', '*', 'spec'], metadata: ['spec', 'volumeClaimTemplates', '*', 'metadata'], noun: 'volumeClaimTemplate' },
];

// A claim at a place without `'*'` shares the place's paths (findClaims): frozen, so that no reader can change them.
for (const p of claimPlaces) {
  Object.freeze(p.spec);
  Object.freeze(p.metadata);
}

/** A place resolved to one claim: `'*'` replaced by the item's index. */
export interface PlaceAt {
  place: ClaimPlace;
  /** The item's index where the place has a `'*'`. */
  index?: number;
  /** The spec's and the metadata's paths relative to the object. */
  spec: (string | number)[];
  metadata: (string | number)[];
}

function resolve(pattern: readonly (string | '*')[], index: number | undefined): (string | number)[] {
  return pattern.map((p) => (p === '*' ? index! : p));
}

/** `path` (relative to the object) matched against `pattern`: the index of `'*'`, or undefined when it does not match. */
function match(pattern: readonly (string | '*')[], path: readonly (string | number)[]): { index?: number } | undefined {
  if (path.length < pattern.length) return undefined;
  let index: number | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const s = path[i];
    if (p === '*') {
      if (typeof s !== 'number') return undefined;
      index = s;
    } else if (p !== s) return undefined;
  }
  return index === undefined ? {} : { index };
}

/**
 * The claim whose spec holds `path` (relative to an object of `kind`), and the rest of the path inside the spec;
 * undefined when `path` is in no claim spec. `kind` is a plain string: incomplete documents are not recognised
 * resources yet.
 */
export function claimPlaceAt(kind: string, path: readonly (string | number)[]): { at: PlaceAt; rest: (string | number)[] } | undefined {
  for (const place of claimPlaces) {
    if (place.kind !== kind) continue;
    const m = match(place.spec, path);
    if (!m) continue;
    return { at: { place, ...m, spec: resolve(place.spec, m.index), metadata: resolve(place.metadata, m.index) }, rest: path.slice(place.spec.length) };
  }
  return undefined;
}

/** A claim in a document: where it is, and a name for messages. */
export interface ClaimIn extends PlaceAt {
  resource: Resource;
  /** Absolute paths in the document. */
  specPath: YamlPath;
  metadataPath: YamlPath;
  /** `metadata.name` of the claim (of the template, or of the PVC or DataVolume). */
  name?: string;
  /** "VirtualMachine vm1, volumeClaimTemplate disk", "PersistentVolumeClaim data". */
  describe: string;
}

/** Claims per resource: resources are themselves cached per parsed document, so rules share one reading. */
const claimCache = new WeakMap<Resource, ClaimIn[]>();

/** Forgets a resource's claims (a one-shot Workspace done with its document: core/forget.ts says why). */
export function forgetClaimsIn(r: Resource): void {
  claimCache.delete(r);
}

/** Every claim a resource writes, in document order of the places. */
export function claimsIn(r: Resource): ClaimIn[] {
  let cached = claimCache.get(r);
  if (!cached) claimCache.set(r, (cached = findClaims(r)));
  return cached;
}

function findClaims(r: Resource): ClaimIn[] {
  const out: ClaimIn[] = [];
  if (!claimPlaces.some((p) => p.kind === r.kind)) return out;
  // Places are walked from the object's node, found once, not from the document's root.
  const object = walkNode(r.doc, r.base);
  if (!object) return out;
  // Relative and absolute paths are one array for an object at the document's root (nothing changes them).
  const abs = (p: (string | number)[]): (string | number)[] => (r.base.length === 0 ? p : [...r.base, ...p]);
  const owner = `${r.kind} ${r.name ?? '(unnamed)'}`;
  for (const place of claimPlaces) {
    if (place.kind !== r.kind) continue;
    const star = place.spec.indexOf('*');
    const count = star < 0 ? 1 : sequenceNodes(r.doc, place.spec.slice(0, star) as string[], object).length;
    for (let i = 0; i < count; i++) {
      const index = star < 0 ? undefined : i;
      const spec = star < 0 ? (place.spec as string[]) : resolve(place.spec, index);
      const metadata = star < 0 ? (place.metadata as string[]) : resolve(place.metadata, index);
      if (walkNode(r.doc, spec, object) === undefined) continue;
      // An object's own metadata is the resource's: its name is already read.
      const name = index === undefined && place.metadata.length === 1 && place.metadata[0] === 'metadata' ? r.name : scalarString(r.doc, [...metadata, 'name'], object);
      const describe = r.kind === 'PersistentVolumeClaim' ? owner : index === undefined ? `${owner}, ${place.noun}` : `${owner}, ${place.noun} ${name ?? `#${index}`}`;
      out.push({ place, ...(index === undefined ? {} : { index }), spec, metadata, resource: r, specPath: abs(spec), metadataPath: abs(metadata), ...(name === undefined ? {} : { name }), describe });
    }
  }
  return out;
}
