/**
 * What the StorageClass, VolumeSnapshotClass, StorageProfile and HyperConverged rules share: the entries of a
 * map with their key and value ranges, a field of a recognised object, the facts they look classes up in, and
 * the one-line fix that rewrites a value.
 */
import { isMap, isScalar, type Node } from 'yaml';
import type { Facts, SnapshotClassFact } from '../facts.js';
import { makesImages, PD_DRIVER } from '../gcp/pdParameters.js';
import type { Resource } from '../resources.js';
import type { Fix, Range } from '../types.js';
import { keyText, locate, rangeOf, replaceValueEdit, scalarString, scalarText, yamlScalar, type YamlDoc, type YamlPath } from '../yaml/documents.js';
import { walk } from '../yaml/navigate.js';

export interface Entry {
  key: string;
  /** The scalar value as Kubernetes reads it; undefined for a non-scalar or empty value. */
  value?: string;
  keyRange: Range;
  /** The value's range, or the key's when the value is empty. */
  valueRange: Range;
  keyNode: Node;
}

/** The entries of the map at `path`, in order (written in place: merge keys are not followed). */
export function entries(d: YamlDoc, path: YamlPath): Entry[] {
  const hit = walk(d, path);
  if (!hit || !isMap(hit.node)) return [];
  const out: Entry[] = [];
  for (const pair of hit.node.items) {
    const keyNode = pair.key as Node | null;
    if (!keyNode || !keyNode.range) continue;
    const key = keyText(d, keyNode);
    if (key === '<<') continue;
    const valueNode = pair.value as Node | null;
    const value = isScalar(valueNode) ? scalarText(d, valueNode) : undefined;
    const keyRange = rangeOf(d, keyNode);
    out.push({ key, ...(value !== undefined ? { value } : {}), keyRange, valueRange: valueNode && valueNode.range ? rangeOf(d, valueNode) : keyRange, keyNode });
  }
  return out;
}

/** A field of a recognised object. */
export function field(r: Resource, ...path: (string | number)[]): string | undefined {
  return scalarString(r.doc, [...r.base, ...path]);
}

/** Where a field of a recognised object is written: its value (or key) range. */
export function fieldRange(r: Resource, ...path: (string | number)[]): Range | undefined {
  const at = locate(r.doc, [...r.base, ...path]);
  return at ? at.range : undefined;
}

/** The key range of a field (the value's when the key has none). */
export function keyRange(r: Resource, ...path: (string | number)[]): Range | undefined {
  const at = locate(r.doc, [...r.base, ...path]);
  return at ? (at.keyRange ?? at.range) : undefined;
}

/** The provisioner (StorageClass) or driver (VolumeSnapshotClass) of a recognised object is the PD CSI driver. */
export function isPd(r: Resource): boolean {
  return (r.kind === 'StorageClass' ? field(r, 'provisioner') : r.kind === 'VolumeSnapshotClass' ? field(r, 'driver') : undefined) === PD_DRIVER;
}

/** The VolumeSnapshotClass of that name among the facts (workspace, then cluster). */
export function snapshotClass(facts: Facts, name: string): SnapshotClassFact | undefined {
  return facts.volumeSnapshotClass?.(name);
}

/** A PD snapshot-type images class of that name. */
export function imagesClass(facts: Facts, name: string | undefined): SnapshotClassFact | undefined {
  const c = name ? snapshotClass(facts, name) : undefined;
  return c && c.driver === PD_DRIVER && makesImages(c.parameters) ? c : undefined;
}

/** Whether the facts include a cluster's (its StorageClasses or VolumeSnapshotClasses): then what is not found is not there. */
export function clusterKnown(facts: Facts): boolean {
  return facts.storageClasses().some((c) => c.source.kind === 'cluster') || (facts.volumeSnapshotClasses?.() ?? []).some((c) => c.source?.kind === 'cluster');
}

/** Where a fact was found, for messages: "(in cluster-storage.yaml)", "(in the cluster)". */
export function whereFound(c: { source?: { kind: string; file?: string } }): string {
  const s = c.source;
  return s?.kind === 'workspace' && s.file ? ` (in ${s.file})` : s?.kind === 'cluster' ? ' (in the cluster)' : '';
}

/** A fix that rewrites the value at `path` (from the document's root). */
export function setValueFix(d: YamlDoc, path: YamlPath, value: string, title: string, preferred = true): Fix[] {
  const edit = replaceValueEdit(d, path, yamlScalar(value));
  return edit ? [{ title, preferred, edits: [edit] }] : [];
}

/**
 * Snapshot classes in name order: the facts list them in the order they were indexed, which differs between the
 * editor (open documents, then the workspace scan) and the CLI (file order), and messages must not.
 */
export function snapshotClassesByName<T extends { name: string }>(classes: readonly T[]): T[] {
  return [...classes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
