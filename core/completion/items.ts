/** Helpers providers share: where the cursor is, the claim it is in, key items, fact descriptions. */
import { platformDefaultStorageClass, resolveStorageClass } from '../cdi/storageClass.js';
import type { ClaimFlavour, ClaimIn } from '../claimSpecs/places.js';
import type { ClaimSpec } from '../claimSpecs/read.js';
import { readClaim } from '../claimSpecs/read.js';
import type { Facts, FactSource, StorageClassFact } from '../facts.js';
import type { Resource } from '../resources.js';
import { scalarString } from '../yaml/documents.js';
import type { KeyDoc } from './claimSchema.js';
import type { CompletionContext, CompletionItem } from './types.js';

/** The cursor types the value of `key` at `rest` inside a claim spec (`rest` ends with the key). */
export function claimValue(ctx: CompletionContext, ...rest: string[]): boolean {
  const r = ctx.claim?.rest;
  return ctx.cursor.role === 'value' && r !== undefined && r.length === rest.length && rest.every((s, i) => r[i] === s);
}

/** The cursor types the value of `key` at `rel` (relative to the object); numbers in `rel` match any index. */
export function objectValue(ctx: CompletionContext, kind: string, rel: readonly (string | number)[]): boolean {
  if (ctx.object.kind !== kind || ctx.cursor.role !== 'value' || ctx.rel.length !== rel.length) return false;
  return rel.every((s, i) => (typeof s === 'number' ? typeof ctx.rel[i] === 'number' : ctx.rel[i] === s));
}

/** The claim at the cursor, read from the context's document; undefined outside a claim. */
export function claimAtCursor(ctx: CompletionContext): ClaimSpec | undefined {
  const at = ctx.claim?.at;
  if (!at) return undefined;
  const base = ctx.object.base;
  const resource: Resource = {
    file: 'completion',
    doc: ctx.doc,
    base,
    apiVersion: ctx.object.apiVersion ?? '',
    group: '',
    version: '',
    kind: at.place.kind,
    namespace: ctx.object.namespace,
    ...(ctx.object.name === undefined ? {} : { name: ctx.object.name }),
  };
  const claim: ClaimIn = { ...at, resource, specPath: [...base, ...at.spec], metadataPath: [...base, ...at.metadata], describe: '' };
  return readClaim(claim, ctx.settings.defaultNamespace);
}

/** A sibling field of the cursor's map, as written (from the cursor's own reading of the lines). */
export function sibling(ctx: CompletionContext, key: string): string | undefined {
  const v = ctx.cursor.siblings.get(key);
  return v === undefined || v === '' ? undefined : v;
}

/** A field of the claim spec, read from the context's document. */
export function specField(ctx: CompletionContext, ...rest: string[]): string | undefined {
  const at = ctx.claim?.at;
  return at ? scalarString(ctx.doc, [...ctx.object.base, ...at.spec, ...rest]) : undefined;
}

/**
 * The class CDI ends up with when a claim names none: in-process rendering (VolumeClaimTemplates, DataVolume
 * `spec.storage`) takes the virt default, then the Kubernetes default; a PVC (also a StatefulSet's) gets the
 * Kubernetes default from the API server's DefaultStorageClass admission before CDI's webhook runs, and the virt
 * default only when there is no Kubernetes default (facts §0.3). `spec.pvc` gets the Kubernetes default.
 */
export function defaultClassFor(flavour: ClaimFlavour, facts: Facts): StorageClassFact | undefined {
  if (flavour === 'template' || flavour === 'dv-storage') return resolveStorageClass(undefined, 'kubevirt', facts).fact;
  const k8s = platformDefaultStorageClass(facts.storageClasses(), 'isDefault');
  if (k8s || flavour === 'dv-pvc') return k8s;
  return platformDefaultStorageClass(facts.storageClasses(), 'isDefaultVirt');
}

/** The class a claim at the cursor uses: as written, else the default for its place. */
export function classAtCursor(ctx: CompletionContext): StorageClassFact | undefined {
  const written = specField(ctx, 'storageClassName');
  if (written !== undefined) return written === '' ? undefined : ctx.facts.storageClass(written);
  return ctx.claim ? defaultClassFor(ctx.claim.at.place.flavour, ctx.facts) : undefined;
}

/** Where a fact came from, for documentation. */
export function fromWhere(source: FactSource): string {
  switch (source.kind) {
    case 'workspace':
      return `\`${source.file.replace(/^.*\//, '')}\` in the workspace`;
    case 'cluster':
      return source.context ? `cluster \`${source.context}\`` : 'the cluster';
    case 'default':
      return source.reason;
    case 'setting':
      return `setting \`${source.name}\``;
  }
}

/** Items for the keys of a map, the ones already written left out. */
export function keyItems(ctx: CompletionContext, keys: readonly KeyDoc[], flavour?: ClaimFlavour): CompletionItem[] {
  const present = ctx.cursor.siblings;
  return keys
    .filter((k) => !present.has(k.key) && (k.only === undefined || (flavour !== undefined && k.only.includes(flavour))))
    .map((k, i) => ({
      label: k.key,
      kind: 'property' as const,
      documentation: k.doc,
      insertText: `${k.key}${k.snippet}`,
      snippet: true,
      rank: i,
      ...(k.retrigger ? { retrigger: true } : {}),
    }));
}

/** Whether the cursor types a key (or the first key of a new item) in the map at `rel`. */
export function keyOf(ctx: CompletionContext, kind: string, rel: readonly (string | number)[]): boolean {
  if (ctx.object.kind !== kind || (ctx.cursor.role !== 'key' && ctx.cursor.role !== 'item') || ctx.rel.length !== rel.length) return false;
  return rel.every((s, i) => (typeof s === 'number' ? typeof ctx.rel[i] === 'number' : ctx.rel[i] === s));
}
