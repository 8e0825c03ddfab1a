/**
 * What the two StorageProfile snapshot-class rules share: the fields that name a VolumeSnapshotClass
 * (`spec.snapshotClass`, and the `cdi.kubevirt.io/snapshotClassForDataImportCron` annotation golden-image
 * snapshots use) with their ranges.
 */
import { ANNOTATION } from '../kinds/index.js';
import type { Resource } from '../resources.js';
import type { Range } from '../types.js';
import { field, fieldRange } from './storageFields.js';

export interface NamedClass {
  /** Path below the object. */
  path: string[];
  /** For messages: "spec.snapshotClass". */
  describe: string;
  name: string;
  range: Range;
}

export function namedSnapshotClasses(r: Resource): NamedClass[] {
  const out: NamedClass[] = [];
  for (const path of [['spec', 'snapshotClass'], ['metadata', 'annotations', ANNOTATION.snapshotClassForDataImportCron]]) {
    const name = field(r, ...path);
    const range = fieldRange(r, ...path);
    if (name && range) out.push({ path, describe: path[0] === 'spec' ? 'spec.snapshotClass' : `annotation ${ANNOTATION.snapshotClassForDataImportCron}`, name, range });
  }
  return out;
}
