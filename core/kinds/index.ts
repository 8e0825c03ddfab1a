/**
 * core/kinds: the kinds registry (registry.ts), its fact readers (readers.ts), the object views they read
 * through (view.ts) and the well-known label and annotation keys (wellKnown.ts). This module is the door: the
 * lookups every consumer uses. Lookups by user-supplied strings (a manifest's kind or apiVersion) go through
 * Maps, so `kind: constructor` is simply not a kind.
 */
import type { FactSource } from '../facts.js';
import type { FieldPattern, KindDescriptor, Scope } from './descriptor.js';
import type { FactReader, ReadContext } from './readers.js';
import { builtinGroups, kinds } from './registry.js';
import { jsonView, type ObjectView } from './view.js';

export type { FieldPattern, KindDescriptor, Scope } from './descriptor.js';
export type { FactReader, ReadContext } from './readers.js';
export type { ObjectView } from './view.js';
export { jsonField, jsonText, jsonView, yamlView } from './view.js';
export { ANNOTATION, FINALIZER, LABEL } from './wellKnown.js';
export { builtinGroups, kinds };

/** A kind in the registry: `'VolumeSnapshot'`, `'PersistentVolumeClaim'`, ... */
export type KindName = keyof typeof kinds;
/** The registry's entry for a kind (its literal types: `Kind<'VolumeSnapshot'>['watch']` is `'volumeSnapshots'`). */
export type Kind<K extends KindName = KindName> = (typeof kinds)[K];
/** Kinds with a fact reader. */
export type FactKind = { [K in KindName]: Kind<K> extends { fact: object } ? K : never }[KindName];
/** The fact a kind yields. */
export type FactOf<K extends FactKind> = Kind<K> extends { fact: { read: FactReader<infer F> } } ? F : never;
/** Names of the live caches the cluster side keeps (the kinds' `watch`). */
export type WatchName = { [K in KindName]: Kind<K> extends { watch: infer W extends string } ? W : never }[KindName];

/** A descriptor as consumers see it: the kind typed as a registry name. */
export type Descriptor = KindDescriptor & { readonly kind: KindName };

/** Every kind, in registry order. */
export const allKinds: readonly Descriptor[] = Object.values(kinds);

const byName = new Map<string, Descriptor>(allKinds.map((d) => [d.kind, d]));
const byGroupKind = new Map<string, Descriptor>(allKinds.map((d) => [`${d.group}\0${d.kind}`, d]));
const recognisedByKind = new Map<string, ReadonlySet<string>>(allKinds.map((d) => [d.kind, new Set(recognisedVersions(d))]));
const watchNames = new Map<string, Descriptor>(allKinds.filter((d) => d.watch !== undefined).map((d) => [d.watch!, d]));

/** The descriptor of a kind name; undefined for anything else (own entries only). */
export function kindNamed(kind: string): Descriptor | undefined {
  return byName.get(kind);
}

export function isKindName(kind: string): kind is KindName {
  return byName.has(kind);
}

/** The descriptor of a group and kind (the apiVersion's version aside). */
export function kindOf(group: string, kind: string): Descriptor | undefined {
  return byGroupKind.get(`${group}\0${kind}`);
}

/** `group/version`, or `version` for the core group. */
export function apiVersionOf(d: { readonly group: string; readonly version: string }): string {
  return d.group ? `${d.group}/${d.version}` : d.version;
}

/** The group and version of an apiVersion as manifests write it (`v1` is the core group). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Versions the tools read from a cluster, preferred first. */
export function servedVersions(d: KindDescriptor): readonly string[] {
  return [d.version, ...(d.fallbackVersions ?? [])];
}

/** Versions recognised in manifests: the served ones and the older ones. */
export function recognisedVersions(d: KindDescriptor): readonly string[] {
  return [...servedVersions(d), ...(d.olderVersions ?? [])];
}

/**
 * The registry's kind of a manifest's apiVersion and kind, when the version is one the tools recognise;
 * undefined otherwise (an unknown kind, group or version, `Object.prototype` names included).
 */
export function recognise(apiVersion: string, kind: string): { descriptor: Descriptor; group: string; version: string } | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  const descriptor = kindOf(group, kind);
  if (!descriptor || !recognisedByKind.get(descriptor.kind)?.has(version)) return undefined;
  return { descriptor, group, version };
}

export function isNamespaced(d: { readonly scope: Scope }): boolean {
  return d.scope === 'Namespaced';
}

/** Kinds the cluster side keeps a live cache of, in the order the caches start. */
export const watchedKinds: readonly (Descriptor & { readonly watch: WatchName })[] = allKinds.filter(
  (d): d is Descriptor & { readonly watch: WatchName } => d.watch !== undefined,
);

/** The kind a cache name watches. */
export function watchedKind(name: string): Descriptor | undefined {
  return watchNames.get(name);
}

/** Kinds whose facts are part of core's Facts (collected from the workspace, served from the cluster). */
export const factKinds: readonly Descriptor[] = allKinds.filter((d) => d.fact?.inFacts === true);

/** Groups discovery looks for: every group of the registry that not every cluster serves, in registry order. */
export const knownGroups: readonly string[] = [...new Set(allKinds.map((d) => d.group).filter((g) => !builtinGroups.has(g)))];

/** For messages: `VolumeSnapshots (snapshot.storage.k8s.io)`, `PersistentVolumeClaims`. */
export function describeKind(d: { readonly kind: string; readonly group: string }): string {
  return `${d.kind}s${d.group ? ` (${d.group})` : ''}`;
}

/** The size fields of a kind at a version (`'*'` for each item of a sequence). */
export function quantityPatterns(d: KindDescriptor, version: string): readonly FieldPattern[] {
  const q = d.quantities;
  return q === undefined ? [] : typeof q === 'function' ? q(version) : q;
}

function readerOf<K extends FactKind>(kind: K): FactReader<FactOf<K>> {
  return (kinds[kind] as KindDescriptor<FactOf<K>>).fact!.read;
}

/** A kind's fact read through a view (of YAML or JSON). */
export function factFromView<K extends FactKind>(kind: K, view: ObjectView, ctx: ReadContext): FactOf<K> | undefined {
  return readerOf(kind)(view, ctx);
}

/** A kind's fact from an API object as parsed JSON; an object naming no namespace is in `default`. Never throws. */
export function factFromObject<K extends FactKind>(kind: K, o: unknown, source: FactSource): FactOf<K> | undefined {
  return readerOf(kind)(jsonView(o), { source, defaultNamespace: 'default' });
}
