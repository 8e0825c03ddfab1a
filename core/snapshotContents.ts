/**
 * A VolumeSnapshot's VolumeSnapshotContent, as the CSI snapshot controller binds them and as CDI reads it.
 *
 * - Binding (external-snapshotter v8.6.0 pkg/common-controller/snapshot_controller.go, `syncUnreadySnapshot`,
 *   `getPreprovisionedContentFromStore`, `getDynamicallyProvisionedContentFromStore`): a pre-provisioned snapshot
 *   (`spec.source.volumeSnapshotContentName`) binds only a content with a `snapshotHandle` whose `volumeSnapshotRef`
 *   names it (name and namespace; a uid, when set, must be the snapshot's); a dynamic one only its own content
 *   (`snapcontent-<uid>`, named in `status.boundVolumeSnapshotContentName`) with a `volumeHandle` and a ref to it.
 * - restoreSize (`updateSnapshotStatus`): while the snapshot is not both ready and bound, the controller copies the
 *   content's `status.restoreSize` (int64 bytes) when the snapshot has none, or has 0 and the content more, as
 *   `resource.NewQuantity(bytes, BinarySI)`. A ready, bound snapshot goes through `syncReadySnapshot`, which copies
 *   nothing.
 * - Source volume mode (CDI `GetSnapshotSourceVolumeMode`, pkg/controller/common/util.go@v1.66.0, and the same on
 *   release-v1.64/-v1.65): the content of `status.boundVolumeSnapshotContentName` (`GetSnapshotContentFromSnapshot`)
 *   `spec.sourceVolumeMode` first, then the snapshot's `cdi.kubevirt.io/storage.import.sourceVolumeMode`
 *   annotation, else the target's own mode.
 */
import type { Facts, SnapshotContentFact, SnapshotFact } from './facts.js';
import { ANNOTATION } from './kinds/index.js';
import { formatBytes } from './quantity.js';

/** The content a snapshot is, or will be, bound to; why the binding cannot happen, when it cannot. */
export interface ContentBinding {
  name: string;
  content: SnapshotContentFact;
  /** Undefined when the controller binds them; else the reason, in words. */
  refused?: string;
}

/** The content the snapshot controller binds to `snap`, looked up by name; undefined when none is named or found. */
export function contentBinding(snap: SnapshotFact, facts: Facts): ContentBinding | undefined {
  const preProvisioned = snap.contentName !== undefined;
  // Both sources (or neither) is a validation error: the controller binds nothing. A dynamic snapshot's content is
  // `snapcontent-<uid>` (GetDynamicSnapshotContentNameForSnapshot), which the status names once bound.
  if (preProvisioned === (snap.sourcePvcName !== undefined)) return undefined;
  const name = snap.contentName ?? snap.boundContentName ?? (snap.uid ? `snapcontent-${snap.uid}` : undefined);
  if (!name) return undefined;
  const content = facts.volumeSnapshotContent?.(name);
  if (!content) return undefined;
  return { name, content, ...optionalRefusal(refusal(snap, content, preProvisioned)) };
}

function optionalRefusal(refused: string | undefined): { refused?: string } {
  return refused === undefined ? {} : { refused };
}

function refusal(snap: SnapshotFact, content: SnapshotContentFact, preProvisioned: boolean): string | undefined {
  if (preProvisioned && content.snapshotHandle === undefined) return 'it has no spec.source.snapshotHandle: a pre-provisioned snapshot binds only a pre-provisioned content';
  if (!preProvisioned && content.volumeHandle === undefined) return 'it has no spec.source.volumeHandle: a dynamically provisioned snapshot binds only its own dynamically provisioned content';
  const ref = content.snapshotRef;
  if (ref.name !== snap.name || ref.namespace !== snap.namespace) {
    const names = ref.name === undefined && ref.namespace === undefined ? 'no VolumeSnapshot' : `VolumeSnapshot ${ref.namespace ?? '?'}/${ref.name ?? '?'}`;
    return `its spec.volumeSnapshotRef names ${names}, not ${snap.namespace}/${snap.name}`;
  }
  if (ref.uid !== undefined && ref.uid !== '' && snap.uid !== undefined && ref.uid !== snap.uid) return `its spec.volumeSnapshotRef.uid ${ref.uid} is not the snapshot's (${snap.uid})`;
  return undefined;
}

/** restoreSize the snapshot controller will copy from the content: bytes, the text it stores, the content's name. */
export interface ContentRestoreSize {
  bytes: bigint;
  text: string;
  content: string;
}

/**
 * The restoreSize `snap` will get from its content, when it has none of its own (or 0) and the controller will
 * still copy one (updateSnapshotStatus): undefined otherwise.
 */
export function contentRestoreSize(snap: SnapshotFact, facts: Facts): ContentRestoreSize | undefined {
  const own = snap.restoreSizeBytes;
  // An unparsable restoreSize of its own is invalid-quantity's; a positive one stands.
  if ((own === undefined && snap.restoreSizeText !== undefined) || (own !== undefined && own > 0n)) return undefined;
  // syncReadySnapshot: a ready and bound snapshot's status is not updated from its content again.
  if (snap.readyToUse === true && snap.boundContentName !== undefined) return undefined;
  const b = contentBinding(snap, facts);
  const bytes = b && !b.refused ? b.content.restoreSizeBytes : undefined;
  // A content reporting 0 leaves the snapshot at 0: still no size to check against.
  if (bytes === undefined || bytes === 0n) return undefined;
  return { bytes, text: formatBytes(bytes, 'BinarySI'), content: b!.name };
}

/** The words a message adds where the size comes from the content. */
export function fromContentWords(c: ContentRestoreSize): string {
  return `from VolumeSnapshotContent ${c.content}'s status.restoreSize, which the snapshot controller copies to the snapshot, as it reports none yet`;
}

/** Where CDI's snapshot clone takes the snapshot's source volume mode from (GetSnapshotSourceVolumeMode). */
export type SourceVolumeMode =
  | { mode: string; from: 'content'; content: string }
  | { mode: string; from: 'annotation' }
  /** No content known: the source PVC's mode, which the snapshot controller copies to the content it creates. */
  | { mode: string; from: 'source-pvc'; pvc: string }
  /** Neither: CDI assumes the target's own mode. */
  | { from: 'target'; content?: string };

/**
 * The source volume mode CDI's detectCloneSize reads for `snap`. The content is the one of
 * `status.boundVolumeSnapshotContentName`, or the one a pre-provisioned snapshot will be bound to. When no content
 * is known, a dynamic snapshot's content is predicted from its source PVC (the snapshot controller sets
 * `spec.sourceVolumeMode` from the PV with `--prevent-volume-mode-conversion`, on by default since external-snapshotter
 * v7.0.0), ahead of the annotation.
 */
export function snapshotSourceVolumeMode(snap: SnapshotFact, facts: Facts, namespace: string): SourceVolumeMode {
  const b = contentBinding(snap, facts);
  const content = b && !b.refused ? b : undefined;
  if (content?.content.sourceVolumeMode !== undefined) return { mode: content.content.sourceVolumeMode, from: 'content', content: content.name };
  if (!content && snap.sourcePvcName !== undefined) {
    const pvc = facts.claimObject?.('PersistentVolumeClaim', namespace, snap.sourcePvcName);
    // A PVC written without a volumeMode is Filesystem (the API server's default).
    if (pvc) return { mode: pvc.volumeMode ?? 'Filesystem', from: 'source-pvc', pvc: `${pvc.namespace}/${pvc.name}` };
  }
  if (snap.importSourceVolumeMode !== undefined) return { mode: snap.importSourceVolumeMode, from: 'annotation' };
  return content ? { from: 'target', content: content.name } : { from: 'target' };
}

/** "its VolumeSnapshotContent c has spec.sourceVolumeMode: Block", for messages. */
export function sourceModeWords(m: SourceVolumeMode): string {
  switch (m.from) {
    case 'content':
      return `its VolumeSnapshotContent ${m.content} has spec.sourceVolumeMode: ${m.mode}`;
    case 'annotation':
      return `its ${ANNOTATION.importSourceVolumeMode} annotation says ${m.mode}`;
    case 'source-pvc':
      return `its source PVC ${m.pvc} is ${m.mode}`;
    case 'target':
      return m.content ? `its VolumeSnapshotContent ${m.content} has no spec.sourceVolumeMode and it has no ${ANNOTATION.importSourceVolumeMode} annotation` : 'its source volume mode is unknown';
  }
}
