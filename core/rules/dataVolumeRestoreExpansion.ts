/**
 * `datavolume-restore-expansion`: a DataVolume restoring a VolumeSnapshot whose target PVC asks for more than
 * the restoreSize, on a StorageClass without `allowVolumeExpansion: true`. CDI restores the snapshot at its
 * restoreSize and then grows the volume (clone/snap-clone.go, c07cdb6); where the class cannot grow it,
 * cc.ValidateSnapshotCloneSize sends the clone to a host-assisted copy instead: every byte through a pod.
 * A `spec.storage` request is the DV controller's render, so even a request equal to restoreSize grows by
 * CDI's filesystem overhead. Removing the size avoids that, except from CDI v1.66.0 for a Block-source snapshot
 * restored to Filesystem (detectCloneSize, #4107).
 */
import type { RenderResult } from '../cdi/render.js';
import type { DataVolumeRestore } from '../dataVolumes.js';
import { groupDigits } from '../quantity.js';
import { snapshotSourceVolumeMode, sourceModeWords } from '../snapshotContents.js';
import type { Finding } from '../types.js';
import { dataVolumeKinds, dvData, dvRange, dvRestoreSize, removeRequestFix, setRequestFix, sizedDataVolumeRestores } from './dataVolumeCommon.js';
import { sized } from './restoreCommon.js';
import type { Rule, RuleContext } from './rule.js';

export const dataVolumeRestoreExpansion: Rule = {
  id: 'datavolume-restore-expansion',
  defaultSeverity: 'warning',
  title: 'DataVolume restore needs a volume expansion the class does not allow',
  description:
    "A DataVolume restoring a VolumeSnapshot asks (after CDI's rendering of spec.storage) for more than the snapshot's restoreSize, on a StorageClass without allowVolumeExpansion: CDI falls back to a slow host-assisted copy.",
  reads: 'facts',
  kinds: dataVolumeKinds,
  run(ctx) {
    const out: Finding[] = [];
    for (const { r, restore, request, sizing } of sizedDataVolumeRestores(ctx)) {
      const target = sizing.targetBytes;
      const cls = sizing.storageClassName === undefined ? undefined : ctx.facts.storageClass(sizing.storageClassName);
      // Too small is the other rule's; an unknown class or one that expands: nothing to say.
      if (target === undefined || target <= restore.bytes || (sizing.validatedBytes ?? target) < restore.bytes) continue;
      if (!cls || cls.allowVolumeExpansion === true) continue;
      const render = sizing.render;
      const how = render?.inflated ? `, which CDI renders to ${groupDigits(target)} bytes (filesystem overhead ${render.overhead ?? '?'})` : '';
      const block = r.dv.field === 'storage' && render ? blockSourceInflation(r, render, ctx) : undefined;
      const fix = block ? block.words : r.dv.field === 'storage' ? 'Remove the size (CDI then restores at restoreSize, without overhead)' : `Set the request to ${restore.text}`;
      out.push({
        rule: 'datavolume-restore-expansion',
        severity: 'warning',
        message:
          `${r.dv.describe} asks for ${sized(request.text, request.quantity.bytes)}${how}, more than ${dvRestoreSize(r, restore)}: ` +
          `CDI restores the snapshot at restoreSize and then expands it, but StorageClass ${cls.name} does not ` +
          `set allowVolumeExpansion: true, so CDI falls back to a host-assisted copy of the whole volume. ${fix}, or allow expansion on the class.`,
        file: ctx.file,
        range: dvRange(r),
        fixes: block?.certain ? [] : r.dv.field === 'storage' ? removeRequestFix(r, !block) : setRequestFix(r, restore.text, true),
        data: Object.assign(dvData(r, restore), { targetBytes: String(target), storageClass: cls.name }),
      });
    }
    return out;
  },
};

/**
 * detectCloneSize (snapshot-clone-controller.go@v1.66.0, #4107): without a size, a Filesystem target restoring a
 * snapshot whose source was Block gets restoreSize plus the overhead, so removing the size still expands. The
 * source mode is GetSnapshotSourceVolumeMode's: the bound VolumeSnapshotContent's spec.sourceVolumeMode, else the
 * snapshot's cdi.kubevirt.io/storage.import.sourceVolumeMode annotation, else the target's (core/snapshotContents.ts).
 */
function blockSourceInflation(r: DataVolumeRestore, render: RenderResult, ctx: RuleContext): { words: string; certain: boolean } | undefined {
  const b = render.cdi.behaviour;
  const backport = b.blockSourceInflationUncertain;
  if (render.volumeMode !== 'Filesystem' || (!b.sizelessCloneInflatesBlockSource && !backport)) return undefined;
  const source = r.snapshot ? snapshotSourceVolumeMode(r.snapshot, ctx.facts, r.snapshotNamespace) : undefined;
  if (!source || source.from === 'target' || source.mode !== 'Block') return undefined;
  const may = backport ? `may size it (${backport})` : 'sizes it';
  return {
    certain: backport === undefined,
    words: `Removing the size does not avoid it: the snapshot's source was Block (${sourceModeWords(source)}), and CDI ${b.version} ${may} at restoreSize plus the filesystem overhead for a Filesystem target. Use volumeMode Block`,
  };
}
