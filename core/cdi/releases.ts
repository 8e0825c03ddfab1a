/**
 * What each CDI release does to a PVC's size, read from the tags and release branches of
 * kubevirt/containerized-data-importer (snapshot c07cdb6, 2026-08-20; facts §0 and §3.1):
 *
 * | change | main | tags that have it | backported to (merged) |
 * |---|---|---|---|
 * | the PVC webhook behind the `WebhookPvcRendering` gate | v1.59.0 | v1.59–v1.65 | — |
 * | multiply formula (#3779) and default 0.06 (#3812) | v1.63.0 | v1.63.0+ | release-v1.60 #3860, -v1.61 #3859, -v1.62 #3858 (2025-08); v1.63 as #3857 before its tag |
 * | StorageProfile `minimumSupportedPvcSize` (#3711) | v1.63.0 | v1.63.0+ | release-v1.61 #3726, -v1.62 #3724 (2025-05-06) |
 * | a DataVolume restoring a Block-source VolumeSnapshot to Filesystem without a size gets restoreSize plus overhead (#4107) | v1.66.0 | v1.66.0+ | release-v1.64 #4130 (2026-05-15), -v1.65 #4131 (2026-05-13) |
 * | DataVolume clone validation raises the request to the StorageProfile minimum first (#3852) | v1.64.0 | v1.64.0+ | release-v1.63 #3954 (2025-11-20), -v1.62 #3955 (2025-12-01) |
 * | StorageProfile access/volume modes matched exactly, no first-set fallback (#3709) | v1.63.0 | v1.63.0+ | release-v1.59 #3733, -v1.60 #3732, -v1.61 #3727, -v1.62 #3725 (2025-05) |
 * | VolumeSnapshot sources not inflated (#3973) | v1.64.0 | v1.64.0+ | release-v1.61 #3979, -v1.62 #3982, -v1.63 #3978 (2025-12-11) |
 * | webhook on unless CDIConfig `spec.webhookPvcRendering: Disabled` (#4172) | v1.66.0 | v1.66.0+ | — |
 * | clone sizes from a VolumeCloneSource: errors instead of silence (#3958) | v1.64.0 | v1.64.0+ | release-v1.60 #3968, -v1.61 #3967, -v1.63 #3964 (2025-12-02), -v1.62 #3965 (2025-12-11) |
 * | … without #3958's Bound and status.capacity checks (#4046) | v1.65.0 | v1.65.0+ | — |
 *
 * The newest tags of the older lines predate their backports (v1.59.2 and v1.60.5 2025-01-23, v1.61.5 2025-03-30, v1.62.0
 * 2025-04-01, v1.63.1 2025-09-25, v1.64.0 2025-12-11, v1.65.0 2026-03-31), so a later patch of those lines may carry any of them: such versions are
 * modelled as the release branch's head, with what may differ listed in `uncertain`.
 */

/** How one CDI release renders a PVC's size, and whether its PVC webhook exists. */
export interface CdiBehaviour {
  /** The release this describes: a tag ("v1.63.1"), a line's newest known tag, or "v1.63.2 (after v1.63.1)". */
  version: string;
  /** 'divide': ceil(aligned/(1-o)) (<= v1.62.0); 'multiply': ceil(aligned*(1+o)) (>= v1.63.0). */
  formula: 'divide' | 'multiply';
  /** DefaultGlobalOverhead (pkg/common/common.go): "0.055" in v1.62.0, "0.06" in v1.63.0, v1.63.1, v1.64.0–v1.66.0. */
  defaultOverhead: string;
  /** The PVC webhook leaves PVCs restoring a VolumeSnapshot alone (>= v1.64.0, #3973). */
  skipsSnapshotSources: boolean;
  /** renderPvcSpecVolumeSize raises the request to the StorageProfile's `cdi.kubevirt.io/minimumSupportedPvcSize` (>= v1.63.0). */
  appliesMinimumSize: boolean;
  /**
   * What turns the PVC webhook on: 'none' (before v1.59 there is no PVC webhook), 'feature-gate' (the
   * `WebhookPvcRendering` gate in CDIConfig `spec.featureGates`, v1.59–v1.65), 'policy' (on unless CDIConfig
   * `spec.webhookPvcRendering: Disabled`, v1.66+).
   */
  webhookSwitch: 'none' | 'feature-gate' | 'policy';
  /**
   * getDefaultAccessModes / getDefaultVolumeMode fall back to the StorageProfile's first set when no set matches
   * (pkg/controller/datavolume/util.go@v1.62.0 and older tags); from v1.63.0 (#3709) only exact matches count.
   */
  profileModeFallback: boolean;
  /**
   * The DataVolume clone controllers compare the request raised to the StorageProfile's minimumSupportedPvcSize
   * with the source (GetEffectiveStorageResources in validateSnapshotClone, snapshot-clone-controller.go@v1.64.0,
   * #3852); before, the request as written (validateSnapshotClone@v1.63.1).
   */
  cloneValidationAppliesMinimum: boolean;
  /**
   * A DataVolume snapshot clone without a size gets restoreSize inflated with the filesystem overhead when the
   * target is Filesystem and the snapshot's source was Block (detectCloneSize, snapshot-clone-controller.go@v1.66.0,
   * #4107); before, restoreSize as it is (detectCloneSize@v1.65.0).
   */
  sizelessCloneInflatesBlockSource: boolean;
  /** A later patch that may or may not carry that change (#4130/#4131 backports): its words, also in `uncertain`. */
  blockSourceInflationUncertain?: string;
  /** A PVC with the `cdi.kubevirt.io/cloneType` annotation may leave out its size (RenderPvc's `isClone`, <= v1.63). */
  cloneTypeAnnotationAllowsNoSize: boolean;
  /**
   * A patch newer than the line's last known tag: the backports it may or may not carry, in words. The size
   * figures are the branch head's; `snapshotSkipUncertain` says the snapshot skip is among them (then the
   * model inflates, as the last tag does, and says "may").
   */
  uncertain: string[];
  snapshotSkipUncertain: boolean;
  /**
   * What renderClonePvcVolumeSizeFromSource does when a VolumeCloneSource cannot size a claim: 'silent' (<= v1.63.1:
   * it returns without a size), 'strict' (v1.64.x, #3958: it errors, so the webhook denies; the source PVC must also
   * be Bound, and have status.capacity.storage when class or volume mode differ), 'errors' (v1.65.0+: #4046 dropped
   * those two checks again). A later patch of a line that got #3958 as a backport stays 'silent', as its last tag
   * (a denial it may not make would be an error finding), and `cloneSizeUncertain` holds the words: clone renders
   * say "may" then (the other renders need not).
   */
  cloneSizeErrors: 'silent' | 'strict' | 'errors';
  cloneSizeUncertain: string[];
}

interface Backport {
  change: 'multiply' | 'minimum' | 'snapshot-skip' | 'clone-size-errors' | 'exact-modes' | 'clone-minimum' | 'block-source-inflation';
  pr: string;
  merged: string;
}

/** The release lines whose newest tag predates backports, with those backports. */
const backportedLines: ReadonlyMap<number, { lastTag: number; backports: readonly Backport[] }> = new Map([
  [59, { lastTag: 2, backports: [{ change: 'exact-modes', pr: '#3733', merged: '2025-05-13' }] }],
  [60, { lastTag: 5, backports: [{ change: 'exact-modes', pr: '#3732', merged: '2025-05-12' }, { change: 'multiply', pr: '#3860', merged: '2025-08-06' }, { change: 'clone-size-errors', pr: '#3968', merged: '2025-12-02' }] }],
  [61, { lastTag: 5, backports: [{ change: 'exact-modes', pr: '#3727', merged: '2025-05-06' }, { change: 'minimum', pr: '#3726', merged: '2025-05-06' }, { change: 'multiply', pr: '#3859', merged: '2025-08-03' }, { change: 'clone-size-errors', pr: '#3967', merged: '2025-12-02' }, { change: 'snapshot-skip', pr: '#3979', merged: '2025-12-11' }] }],
  [62, { lastTag: 0, backports: [{ change: 'exact-modes', pr: '#3725', merged: '2025-05-05' }, { change: 'minimum', pr: '#3724', merged: '2025-05-06' }, { change: 'multiply', pr: '#3858', merged: '2025-08-06' }, { change: 'clone-minimum', pr: '#3955', merged: '2025-12-01' }, { change: 'snapshot-skip', pr: '#3982', merged: '2025-12-11' }, { change: 'clone-size-errors', pr: '#3965', merged: '2025-12-11' }] }],
  [64, { lastTag: 0, backports: [{ change: 'block-source-inflation', pr: '#4130', merged: '2026-05-15' }] }],
  [65, { lastTag: 0, backports: [{ change: 'block-source-inflation', pr: '#4131', merged: '2026-05-13' }] }],
  [63, { lastTag: 1, backports: [{ change: 'clone-minimum', pr: '#3954', merged: '2025-11-20' }, { change: 'clone-size-errors', pr: '#3964', merged: '2025-12-02' }, { change: 'snapshot-skip', pr: '#3978', merged: '2025-12-11' }] }],
]);

/** The newest CDI release known: what an unknown version is taken to be. */
export const newestRelease = { major: 1, minor: 66, patch: 0 } as const;

const changeWords: Record<Backport['change'], string> = {
  multiply: 'the multiply formula and default overhead 0.06',
  minimum: "the StorageProfile's minimumSupportedPvcSize",
  'snapshot-skip': 'leaving VolumeSnapshot restores alone',
  'clone-size-errors': 'denying a VolumeCloneSource claim whose size cannot be taken from the source',
  'clone-minimum': "raising a DataVolume clone's request to the StorageProfile minimum before comparing it with the source",
  'block-source-inflation': 'sizing a DataVolume restore of a Block-source snapshot to Filesystem, without a size, at restoreSize plus overhead',
  'exact-modes': "taking access and volume modes only from a matching StorageProfile set (no fall back to the first set)",
};

/** The words for a backport a patch may or may not carry. */
function mayCarry(bp: Backport, minor: number): string {
  return `${changeWords[bp.change]} (backported to release-v1.${minor} as ${bp.pr}, ${bp.merged}) only if this patch was cut after it`;
}


/** The behaviour of a tagged release line `minor` (v1.x.y with y at most its last tag), all changes of main included. */
function tagged(minor: number, version: string): CdiBehaviour {
  return {
    version,
    formula: minor >= 63 ? 'multiply' : 'divide',
    defaultOverhead: minor >= 63 ? '0.06' : '0.055',
    skipsSnapshotSources: minor >= 64,
    appliesMinimumSize: minor >= 63,
    webhookSwitch: minor < 59 ? 'none' : minor < 66 ? 'feature-gate' : 'policy',
    profileModeFallback: minor <= 62,
    cloneValidationAppliesMinimum: minor >= 64,
    sizelessCloneInflatesBlockSource: minor >= 66,
    cloneTypeAnnotationAllowsNoSize: minor <= 63,
    uncertain: [],
    snapshotSkipUncertain: false,
    cloneSizeErrors: minor <= 63 ? 'silent' : minor === 64 ? 'strict' : 'errors',
    cloneSizeUncertain: [],
  };
}

/**
 * A v1 patch newer than its line's last known tag (a later patch number, or `git describe` commits after the tag),
 * which may carry backports merged after that tag; false for a line with none recorded.
 */
export function laterThanLastTag(v: { major: number; minor: number; patch?: number; newerThanTag?: true }): boolean {
  const line = v.major === 1 ? backportedLines.get(v.minor) : undefined;
  if (!line || v.patch === undefined) return false;
  return v.patch > line.lastTag || (v.patch === line.lastTag && v.newerThanTag === true);
}

/**
 * The behaviour of CDI `major.minor.patch`. `patch` undefined (a minor named alone) is the line's newest known
 * tag; `newerThanTag` (a `git describe` suffix: commits after the tag) counts as a later patch.
 */
export function cdiBehaviour(major: number, minor: number, patch?: number, newerThanTag = false): CdiBehaviour {
  // There is no CDI v2; anything past v1 behaves as the newest release, anything before as the oldest.
  if (major > 1) return tagged(newestRelease.minor, `v${major}.${minor}${patch === undefined ? '' : `.${patch}`}`);
  const m = major < 1 ? 0 : minor;
  const line = backportedLines.get(m);
  const tag = (p: number) => `v${major}.${minor}.${p}`;
  if (!line || patch === undefined || !laterThanLastTag({ major: 1, minor: m, patch, ...(newerThanTag ? { newerThanTag: true as const } : {}) })) {
    const known = patch === undefined && line ? `v${major}.${minor} (as ${tag(line.lastTag)}, its newest known tag)` : patch === undefined ? `v${major}.${minor}` : tag(patch);
    return tagged(m, known);
  }
  const named = newerThanTag && patch === line.lastTag ? `${tag(patch)}+ (commits after the tag)` : `${tag(patch)} (newer than ${tag(line.lastTag)}, the newest tag known)`;
  const b = tagged(m, named);
  for (const bp of line.backports) {
    if (bp.change === 'multiply') Object.assign(b, { formula: 'multiply', defaultOverhead: '0.06' });
    if (bp.change === 'minimum') b.appliesMinimumSize = true;
    if (bp.change === 'exact-modes') b.profileModeFallback = false;
    if (bp.change === 'clone-minimum') b.cloneValidationAppliesMinimum = true;
    if (bp.change === 'block-source-inflation') Object.assign(b, { sizelessCloneInflatesBlockSource: true, blockSourceInflationUncertain: mayCarry(bp, m) });
    if (bp.change === 'snapshot-skip') b.snapshotSkipUncertain = true;
    // Only clone renders depend on it: they add these words themselves.
    if (bp.change === 'clone-size-errors') b.cloneSizeUncertain = [mayCarry(bp, m)];
    else b.uncertain.push(mayCarry(bp, m));
  }
  return b;
}
