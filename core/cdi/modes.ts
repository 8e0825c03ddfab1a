/**
 * Storage class, access modes and volume mode, the way CDI fills them from StorageProfiles.
 */
import type { ClaimPropertySet, Facts, StorageProfileFact } from '../facts.js';
import type { ContentType, StorageClassChoice } from './storageClass.js';
import { resolveStorageClass } from './storageClass.js';

/** Where the final volume mode came from. 'default': left empty, so Kubernetes makes it Filesystem. */
export type VolumeModeFrom = 'spec' | 'storage-profile' | 'default' | 'archive-content-type';

/** The spec fields rendering starts from. `volumeMode` undefined or '' means empty (nil in Go). */
export interface ModesInput {
  storageClassName?: string;
  accessModes: string[];
  volumeMode?: string;
  volumeModeFrom: VolumeModeFrom;
}

export interface ModesResult {
  storageClass: StorageClassChoice;
  accessModes: string[];
  /** Raw value CDI leaves in the spec; undefined = empty. */
  volumeMode?: string;
  volumeModeFrom: VolumeModeFrom;
  /** The error CDI returns, if any (the webhook denies with it). */
  denial?: string;
  /** Facts the model lacked that could change this result. */
  unknowns: string[];
}

/** The StorageProfile's sets as CDI reads them (status), or why they are not known. */
function profileSets(name: string, facts: Facts): { sets: ClaimPropertySet[] } | { unknown: string } {
  const profile: StorageProfileFact | undefined = facts.storageProfile(name);
  if (!profile) {
    return { unknown: `StorageProfile ${name} is not known; CDI reads access and volume modes from it (it creates one per StorageClass)` };
  }
  // spec sets are what the StorageProfile controller copies to status; no sets at all in a workspace file
  // only means the status (possibly filled from CDI's capabilities table) is not known.
  if (profile.claimPropertySetsFrom === 'none' && profile.source.kind !== 'cluster') {
    return { unknown: `StorageProfile ${name} status.claimPropertySets is not known (CDI may fill it from its capabilities table)` };
  }
  return { sets: profile.claimPropertySets };
}

const isEmpty = (volumeMode: string | undefined): boolean => volumeMode === undefined || volumeMode === '';

/**
 * Mirrors renderPvcSpecVolumeModeAndAccessModesAndStorageClass (pkg/controller/datavolume/util.go, v1.6x),
 * with getDefaultVolumeAndAccessMode, getDefaultAccessModes and getDefaultVolumeMode: exact matches only from
 * v1.63.0 (#3709); `firstSetFallback` (tags up to v1.62.0, releases.ts) is the older code, which falls back to
 * the first set. A StorageProfile missing from the facts is reported in `unknowns` rather than as CDI's "cannot
 * get StorageProfile" denial, since CDI creates one for every StorageClass and its absence usually means the
 * workspace does not hold it.
 */
export function renderModes(input: ModesInput, contentType: ContentType, facts: Facts, firstSetFallback = false): ModesResult {
  const unknowns: string[] = [];
  let volumeMode = input.volumeMode;
  let volumeModeFrom = input.volumeModeFrom;
  let accessModes = [...input.accessModes];

  if (contentType === 'archive') {
    if (volumeMode === 'Block') {
      // CDI stops before resolving the class; report the named one as written.
      const storageClass: StorageClassChoice = input.storageClassName === undefined ? { from: 'none' } : resolveStorageClass(input.storageClassName, contentType, facts);
      return { storageClass, accessModes, volumeMode, volumeModeFrom, denial: 'ContentType Archive cannot have block volumeMode', unknowns };
    }
    volumeMode = 'Filesystem';
    volumeModeFrom = 'archive-content-type';
  }

  const storageClass = resolveStorageClass(input.storageClassName, contentType, facts);
  const done = (denial?: string): ModesResult => ({
    storageClass,
    accessModes,
    volumeModeFrom: isEmpty(volumeMode) ? 'default' : volumeModeFrom,
    unknowns,
    ...(isEmpty(volumeMode) ? {} : { volumeMode }),
    ...(denial === undefined ? {} : { denial }),
  });

  if (!storageClass.fact) {
    if (storageClass.from === 'missing') unknowns.push(`StorageClass ${storageClass.name} is not known`);
    if (storageClass.name !== undefined) {
      // renderPvcSpecFromAvailablePv: a satisfying PV with this class name overrides volumeMode (and fills
      // empty accessModes). PersistentVolumes are not part of the facts.
      unknowns.push(`an available PersistentVolume with storageClassName "${storageClass.name}" would set volumeMode and empty accessModes (PVs are not modelled)`);
    }
    if (accessModes.length === 0) return done('PVC spec is missing accessMode and no storageClass to choose profile');
    return done();
  }

  const name = storageClass.fact.name;
  if (isEmpty(volumeMode) && accessModes.length === 0) {
    const p = profileSets(name, facts);
    if ('unknown' in p) {
      unknowns.push(p.unknown);
      return done();
    }
    const first = p.sets[0];
    if (!first || first.accessModes.length === 0) return done(`no accessMode specified in StorageProfile ${name}`);
    accessModes = [...first.accessModes];
    volumeMode = first.volumeMode;
    volumeModeFrom = 'storage-profile';
    return done();
  }
  if (accessModes.length === 0) {
    const p = profileSets(name, facts);
    if ('unknown' in p) {
      unknowns.push(p.unknown);
      return done();
    }
    if (firstSetFallback) {
      // getDefaultAccessModes (pkg/controller/datavolume/util.go@v1.62.0): the set of the volume mode, else the
      // first set with access modes whose volume mode differs (a same-mode set without access modes is skipped).
      const exact = p.sets.find((s) => s.volumeMode !== undefined && s.volumeMode === volumeMode && s.accessModes.length > 0);
      const other = p.sets.find((s) => !(s.volumeMode !== undefined && s.volumeMode === volumeMode) && s.accessModes.length > 0);
      const pick = exact ?? other;
      if (!pick) return done(`no accessMode specified in StorageProfile ${name}`);
      accessModes = [...pick.accessModes];
      return done();
    }
    const match = p.sets.find((s) => s.volumeMode !== undefined && s.volumeMode === volumeMode && s.accessModes.length > 0);
    if (!match) return done(`no matching accessMode specified in StorageProfile ${name}`);
    accessModes = [...match.accessModes];
    return done();
  }
  if (isEmpty(volumeMode)) {
    const p = profileSets(name, facts);
    if ('unknown' in p) {
      unknowns.push(p.unknown);
      return done();
    }
    // getDefaultVolumeMode@v1.62.0 answers the first set's volume mode when no set shares an access mode.
    const match = p.sets.find((s) => s.accessModes.some((am) => accessModes.includes(am))) ?? (firstSetFallback ? p.sets[0] : undefined);
    // A matching set without a volumeMode, or no match, leaves it empty: the Kubernetes default, Filesystem.
    if (match?.volumeMode !== undefined) {
      volumeMode = match.volumeMode;
      volumeModeFrom = 'storage-profile';
    }
  }
  return done();
}
