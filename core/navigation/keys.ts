/**
 * Object identities for navigation: what a reference points at and what a document defines. A key names a kind
 * of the registry (core/kinds), a namespace for namespaced kinds, a name, and optionally a member inside the
 * object (a StatefulSet's volumeClaimTemplate, which a VolumeResize names).
 */
import { isNamespaced, kinds, type KindName } from '../kinds/index.js';

export interface ObjectKey {
  kind: KindName;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  name: string;
  /** A named part of the object: the volumeClaimTemplate of a StatefulSet. */
  member?: string;
}

/** The key of `kind` named `name`, namespaced where the kind is. */
export function keyOf(kind: KindName, name: string, namespace: string, member?: string): ObjectKey {
  const key: ObjectKey = isNamespaced(kinds[kind]) ? { kind, namespace, name } : { kind, name };
  if (member !== undefined) key.member = member;
  return key;
}

/** One string per key, for maps. */
export function keyString(k: ObjectKey): string {
  return `${k.kind}\0${k.namespace ?? ''}\0${k.name}\0${k.member ?? ''}`;
}

export function sameKey(a: ObjectKey, b: ObjectKey): boolean {
  return keyString(a) === keyString(b);
}

/** The object itself, without the member. */
export function objectOf(k: ObjectKey): ObjectKey {
  const { member: _, ...object } = k;
  return object;
}

/** For messages and symbols: `VolumeSnapshot vms/disk-snap`, `StorageClass trident-nas`. */
export function describeKey(k: ObjectKey): string {
  const name = k.namespace === undefined ? k.name : `${k.namespace}/${k.name}`;
  return `${k.kind} ${name}${k.member === undefined ? '' : `, volumeClaimTemplate ${k.member}`}`;
}
