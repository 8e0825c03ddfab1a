/**
 * What each KubeVirt release does to a restore PVC and accepts in a VirtualMachineRestore, read from the tags and
 * release branches of kubevirt/kubevirt (snapshot d923fdb, 2026-08-22; pkg/storage/snapshot/restore.go,
 * pkg/storage/backend-storage/backend-storage.go, pkg/storage/admitters/vmrestore.go,
 * staging/src/kubevirt.io/api/snapshot/v1beta1/types.go):
 *
 * | change | first tags | notes |
 * |---|---|---|
 * | restore drops the `persistent-state-for` label (getFilteredLabels) | v1.4.1, v1.5.0 | not on release-1.3 |
 * | backend PVC labelled `cdi.kubevirt.io/applyStorageProfile: "true"` | v1.4.1, v1.5.2, v1.6.0 | v1.3 backend PVCs have no labels |
 * | `spec.targetReadinessPolicy` | v1.5.0 | |
 * | `spec.volumeRestorePolicy` (RandomizeNames, InPlace), `spec.volumeRestoreOverrides`, `restore.kubevirt.io/lastRestoreUID` on the PVC | v1.6.0 | before: always `restore-<uid>-<volume>` |
 * | `spec.volumeOwnershipPolicy` (Vm, None) | v1.7.0 | |
 * | `volumeRestorePolicy: PrefixTargetName` (naming.GetName) | v1.8.0 | v1.6/v1.7's webhook refuses the value |
 * | `cdi.kubevirt.io/storage.contentType` kept on the restore PVC (f7bd23b) | v1.6.5, v1.7.3, v1.8.2, v1.9.0 | before: dropped with the other cdi.kubevirt.io annotations |
 *
 * The release branches' heads (release-1.3 … release-1.9, 2026-07/08) hold nothing of these beyond their last tags, so
 * a later patch is modelled as its line's last tag; only a `git describe` build between two tags of a line where the
 * second brought a change (v1.4.0-N-g…, v1.5.1-N-g…, v1.6.4-N-g…, v1.7.2-N-g…, v1.8.1-N-g…) may or may not have it.
 */

import { ANNOTATION, LABEL } from '../kinds/wellKnown.js';

/** A change that arrived in a patch of some lines and in every line from `allFrom` on. */
interface Change {
  /** The minor from which every release has it. */
  allFrom: number;
  /** Older lines that got it in a patch: minor → first patch with it. */
  patches: ReadonlyMap<number, number>;
  words: string;
}

const changes = {
  dropsPersistentStateLabel: { allFrom: 5, patches: new Map([[4, 1]]), words: `dropping the ${LABEL.persistentStateFor} label from restore PVCs` },
  backendApplyStorageProfile: { allFrom: 6, patches: new Map([[4, 1], [5, 2]]), words: `labelling backend-storage PVCs ${LABEL.applyStorageProfile}=true` },
  keepsContentType: { allFrom: 9, patches: new Map([[6, 5], [7, 3], [8, 2]]), words: `keeping the ${ANNOTATION.contentType} annotation on restore PVCs` },
} satisfies Record<string, Change>;

type ChangeName = keyof typeof changes;

/** The newest tag of each line in the snapshot (a patch past it is modelled as the line's branch head, the same here). */
const lastTags: ReadonlyMap<number, number> = new Map([[3, 1], [4, 1], [5, 3], [6, 6], [7, 4], [8, 4], [9, 0]]);

/** The oldest and newest lines modelled. */
export const oldestModelledMinor = 3;
export const newestKubevirtRelease = { major: 1, minor: 9, patch: 0 } as const;

/** How one KubeVirt release builds restore PVCs and which VirtualMachineRestore fields it knows. */
export interface KubevirtBehaviour {
  /** The release this describes: "v1.6.5", "v1.6 (as v1.6.6, its newest known tag)", "v1.6.4+ (commits after the tag)". */
  version: string;
  /** `spec.targetReadinessPolicy` is in the CRD schema (>= v1.5.0). */
  targetReadinessPolicy: boolean;
  /** `spec.volumeRestorePolicy` and `spec.volumeRestoreOverrides` are in the schema and honoured (>= v1.6.0). */
  volumeRestorePolicy: boolean;
  /** The volumeRestorePolicy values virt-api's VirtualMachineRestore webhook admits (validateVolumeRestorePolicy). */
  restorePolicies: readonly string[];
  /** `spec.volumeOwnershipPolicy` is in the schema (>= v1.7.0), and the values the webhook admits. */
  volumeOwnershipPolicy: boolean;
  ownershipPolicies: readonly string[];
  /** CreateRestorePVCDefFromVMRestore sets `restore.kubevirt.io/lastRestoreUID` (>= v1.6.0). */
  lastRestoreUid: boolean;
  /** getFilteredLabels drops `persistent-state-for` (v1.4.1+, v1.5.0+); 'may' between v1.4.0 and v1.4.1. */
  dropsPersistentStateLabel: boolean | 'may';
  /** The contentType annotation survives the cdi.kubevirt.io prefix filter (v1.6.5+, v1.7.3+, v1.8.2+, v1.9.0+). */
  keepsContentType: boolean | 'may';
  /** backend-storage createPVC labels the PVC applyStorageProfile=true (v1.4.1+, v1.5.2+, v1.6.0+). */
  backendApplyStorageProfile: boolean | 'may';
  /** What may or may not be so (a build between two tags), in words; empty when the version is a known tag. */
  uncertain: string[];
}

/** Whether release `minor.patch` has `change`; 'may' for a `git describe` build after the tag just before it. */
function has(name: ChangeName, minor: number, patch: number, newerThanTag: boolean): boolean | 'may' {
  const c: Change = changes[name];
  if (minor >= c.allFrom) return true;
  const first = c.patches.get(minor);
  if (first === undefined) return false;
  if (patch >= first) return true;
  return newerThanTag && patch === first - 1 ? 'may' : false;
}

/**
 * The behaviour of KubeVirt `1.minor.patch`. `patch` undefined (a minor named alone) is the line's newest known tag;
 * `newerThanTag` (a `git describe` suffix) counts as commits after that patch. Lines past the newest modelled behave
 * as it, lines before the oldest as the oldest.
 */
export function kubevirtBehaviour(minor: number, patch?: number, newerThanTag = false): KubevirtBehaviour {
  const m = Math.max(oldestModelledMinor, Math.min(minor, newestKubevirtRelease.minor));
  const last = lastTags.get(m) ?? 0;
  const p = minor > newestKubevirtRelease.minor ? Number.MAX_SAFE_INTEGER : minor < oldestModelledMinor ? 0 : (patch ?? last);
  const tag = (n: number) => `v1.${minor}.${n}`;
  const version =
    patch === undefined
      ? lastTags.has(minor) ? `v1.${minor} (as ${tag(last)}, its newest known tag)` : `v1.${minor}`
      : newerThanTag ? `${tag(patch)}+ (commits after the tag)` : lastTags.has(minor) && patch > last ? `${tag(patch)} (newer than ${tag(last)}, the newest tag known)` : tag(patch);
  const older = minor < oldestModelledMinor ? ` (older than v1.${oldestModelledMinor}, modelled as v1.${oldestModelledMinor}.0)` : '';
  const b: KubevirtBehaviour = {
    version: version + older,
    targetReadinessPolicy: m >= 5,
    volumeRestorePolicy: m >= 6,
    restorePolicies: m >= 8 ? ['RandomizeNames', 'InPlace', 'PrefixTargetName'] : m >= 6 ? ['RandomizeNames', 'InPlace'] : [],
    volumeOwnershipPolicy: m >= 7,
    ownershipPolicies: m >= 7 ? ['Vm', 'None'] : [],
    lastRestoreUid: m >= 6,
    dropsPersistentStateLabel: has('dropsPersistentStateLabel', m, p, newerThanTag),
    keepsContentType: has('keepsContentType', m, p, newerThanTag),
    backendApplyStorageProfile: has('backendApplyStorageProfile', m, p, newerThanTag),
    uncertain: [],
  };
  for (const name of Object.keys(changes) as ChangeName[]) {
    if (b[name] === 'may') b.uncertain.push(`${changes[name].words} (first in ${tag(changes[name].patches.get(m) ?? 0)}) only if this build has the backport`);
  }
  return b;
}
