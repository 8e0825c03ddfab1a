/**
 * What a finding is about besides where it is: the VolumeSnapshot it compares with, the StorageClass whose
 * provisioner decides its severity, the DataSource a restore went through. Read from the finding's `data`
 * (`snapshot: ns/name`, `storageClass`, `dataSource`) and located with the navigation index, so that an editor can
 * link them (LSP `relatedInformation`).
 */
import type { Finding } from '../types.js';
import type { NavigationIndex, Place } from './index.js';
import { describeKey, keyOf, type ObjectKey } from './keys.js';

export interface RelatedPlace {
  place: Place;
  message: string;
}

function namespaced(kind: 'VolumeSnapshot' | 'DataSource', qualified: string | undefined): ObjectKey | undefined {
  const slash = qualified?.indexOf('/') ?? -1;
  return qualified && slash > 0 ? keyOf(kind, qualified.slice(slash + 1), qualified.slice(0, slash)) : undefined;
}

/** The objects a finding names in its data, where the index finds them (the files first, else the cluster). */
export function relatedPlaces(f: Finding, index: NavigationIndex): RelatedPlace[] {
  const data = f.data;
  if (!data) return [];
  const keys: Array<[ObjectKey | undefined, string]> = [
    [namespaced('VolumeSnapshot', data['snapshot']), 'the snapshot restored'],
    [namespaced('DataSource', data['dataSource']), 'the DataSource it goes through'],
    [data['storageClass'] ? keyOf('StorageClass', data['storageClass'], '') : undefined, 'its StorageClass'],
  ];
  const out: RelatedPlace[] = [];
  for (const [key, why] of keys) {
    if (!key) continue;
    const place = index.definitions(key)[0];
    if (place && !('file' in place && place.file === f.file && place.selection.start.line === f.range.start.line)) out.push({ place, message: `${describeKey(key)}: ${why}` });
  }
  return out;
}
