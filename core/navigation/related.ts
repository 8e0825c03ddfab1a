/**
 * What a finding is about besides where it is: the VolumeSnapshot it compares with, the StorageClass whose
 * provisioner decides its severity, the DataSource a restore went through. Read from the finding's `data`
 * (`snapshot: ns/name`, `storageClass`, `dataSource`) and located through the facts the analysis used (a fact
 * names the file it came from, or the cluster), so that an editor can link them (LSP `relatedInformation`). This
 * runs on every publish: it reads the facts and the named object (through `NavigationSource.objectNameRange`
 * when the source offers it; else the named file's objects), never the whole navigation index.
 */
import type { Facts, FactSource } from '../facts.js';
import { apiVersionOf, kinds } from '../kinds/index.js';
import { shiftRange } from '../shift.js';
import type { Resource } from '../resources.js';
import type { Finding } from '../types.js';
import { locate } from '../yaml/documents.js';
import type { NameAnchor, NavigationSource, Place } from './index.js';
import { describeKey, keyOf, keyString, type ObjectKey } from './keys.js';

export interface RelatedPlace {
  place: Place;
  message: string;
}

function namespaced(kind: 'VolumeSnapshot' | 'DataSource', qualified: string | undefined): ObjectKey | undefined {
  const slash = qualified?.indexOf('/') ?? -1;
  return qualified && slash > 0 ? keyOf(kind, qualified.slice(slash + 1), qualified.slice(0, slash)) : undefined;
}

/** A file's objects by key, built once per resources array (the same array while the file is unchanged). */
const byKey = new WeakMap<readonly Resource[], Map<string, Resource>>();

function objectsOf(resources: readonly Resource[], defaultNamespace: string): Map<string, Resource> {
  let m = byKey.get(resources);
  if (!m) {
    m = new Map();
    for (const r of resources) if (r.name) m.set(keyString(keyOf(r.kind, r.name, r.namespace ?? defaultNamespace)), r);
    byKey.set(resources, m);
  }
  return m;
}

/**
 * A related object as found: its place, and when it lies in a file the source analyses, its name's range relative
 * to its segment (`anchor`), so that the place can follow the segment when lines are added above it.
 */
export interface RelatedTarget extends RelatedPlace {
  anchor?: NameAnchor;
}

/** The kinds a finding's data names. */
export type RelatedKind = 'VolumeSnapshot' | 'DataSource' | 'StorageClass';

/** What a finding's related objects were looked up under (kind and key as `NavigationSource.objectNameAnchor` takes them). */
export interface RelatedKey {
  kind: RelatedKind;
  key: string;
}

/** Where the facts say an object is: its name in the file it was read from, or the live object. */
function targetOf(key: ObjectKey, facts: Facts, source: NavigationSource, defaultNamespace: string): { place: Place; anchor?: NameAnchor } | undefined {
  const where: FactSource | undefined =
    key.kind === 'VolumeSnapshot' ? facts.volumeSnapshot(key.namespace!, key.name)?.source
    : key.kind === 'StorageClass' ? facts.storageClass(key.name)?.source
    : key.kind === 'DataSource' ? facts.dataSource?.(key.namespace!, key.name)?.source
    : undefined;
  if (where?.kind === 'cluster') {
    const d = kinds[key.kind];
    return { place: { cluster: { apiVersion: apiVersionOf(d), kind: key.kind, ...(key.namespace === undefined ? {} : { namespace: key.namespace }), name: key.name } } };
  }
  if (where?.kind !== 'workspace') return undefined;
  // The Workspace locates one object of an analysed file without the file's objects (an edit's cost).
  const indexKey = key.namespace === undefined ? key.name : `${key.namespace}/${key.name}`;
  if (source.objectNameAnchor) {
    const anchor = source.objectNameAnchor(where.file, key.kind, indexKey);
    if (anchor === undefined) return undefined;
    if (anchor !== null) {
      const range = shiftRange(anchor.range, anchor.line());
      return { place: { file: where.file, range, selection: range }, anchor };
    }
  } else {
    const fast = source.objectNameRange ? source.objectNameRange(where.file, key.kind, indexKey) : null;
    if (fast !== undefined && fast !== null) return { place: { file: where.file, range: fast, selection: fast } };
    if (fast === undefined) return undefined;
  }
  const r = objectsOf(source.resources(where.file), defaultNamespace).get(keyString(key));
  const at = r && locate(r.doc, [...r.base, 'metadata', 'name']);
  return r && at ? { place: { file: r.file, range: at.range, selection: at.range } } : undefined;
}

/** The objects a finding's data names, and for each found one where: in the order `relatedPlaces` lists them. */
export function relatedTargets(f: Finding, facts: Facts, source: NavigationSource, defaultNamespace: string): { keys: RelatedKey[]; targets: RelatedTarget[] } {
  const data = f.data;
  if (!data) return { keys: [], targets: [] };
  const named: Array<[RelatedKind, ObjectKey | undefined, string]> = [
    ['VolumeSnapshot', namespaced('VolumeSnapshot', data['snapshot']), 'the snapshot restored'],
    ['DataSource', namespaced('DataSource', data['dataSource']), 'the DataSource it goes through'],
    ['StorageClass', data['storageClass'] ? keyOf('StorageClass', data['storageClass'], '') : undefined, 'its StorageClass'],
  ];
  const keys: RelatedKey[] = [];
  const targets: RelatedTarget[] = [];
  for (const [kind, key, why] of named) {
    if (!key) continue;
    keys.push({ kind, key: key.namespace === undefined ? key.name : `${key.namespace}/${key.name}` });
    const found = targetOf(key, facts, source, defaultNamespace);
    if (found) targets.push({ place: found.place, message: `${describeKey(key)}: ${why}`, ...(found.anchor ? { anchor: found.anchor } : {}) });
  }
  return { keys, targets };
}

/** Whether a related place is the finding's own line in its own file (not worth a link). */
function isOwnLine(f: Finding, place: Place): boolean {
  return 'file' in place && place.file === f.file && place.selection.start.line === f.range.start.line;
}

/** The objects a finding names in its data, where the facts found them. */
export function relatedPlaces(f: Finding, facts: Facts, source: NavigationSource, defaultNamespace: string): RelatedPlace[] {
  return relatedTargets(f, facts, source, defaultNamespace).targets.filter((t) => !isOwnLine(f, t.place)).map(({ place, message }) => ({ place, message }));
}
