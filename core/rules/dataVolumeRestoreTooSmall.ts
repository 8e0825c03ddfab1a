/**
 * `datavolume-restore-too-small`: a DataVolume (or a VM's dataVolumeTemplate) restoring a VolumeSnapshot asks for
 * less than its restoreSize. CDI's SnapshotCloneReconciler.validateSnapshotClone (c07cdb6) refuses the clone
 * ("target resources requests storage size is smaller than the source"): the DataVolume stays pending.
 */
import { groupDigits } from '../quantity.js';
import type { Finding } from '../types.js';
import { dataVolumeKinds, dvData, dvRange, dvRestoreSize, removeRequestFix, setRequestFix, sizedDataVolumeRestores } from './dataVolumeCommon.js';
import { sized } from './restoreCommon.js';
import type { Rule } from './rule.js';

export const dataVolumeRestoreTooSmall: Rule = {
  id: 'datavolume-restore-too-small',
  defaultSeverity: 'error',
  title: 'DataVolume restore smaller than the snapshot',
  description:
    "A DataVolume or VirtualMachine dataVolumeTemplate restoring a VolumeSnapshot (source.snapshot, or sourceRef to a DataSource) asks for less than the snapshot's restoreSize; CDI refuses the clone and the DataVolume stays pending.",
  reads: 'facts',
  kinds: dataVolumeKinds,
  run(ctx) {
    const out: Finding[] = [];
    for (const { r, restore, request, sizing } of sizedDataVolumeRestores(ctx)) {
      const validated = sizing.validatedBytes ?? request.quantity.bytes;
      if (validated >= restore.bytes) continue;
      const raised = validated !== request.quantity.bytes ? ` (${groupDigits(validated)} bytes with the StorageProfile's minimumSupportedPvcSize),` : ',';
      const orRemove = r.dv.field === 'storage' ? ', or remove the size (CDI then takes restoreSize)' : '';
      out.push({
        rule: 'datavolume-restore-too-small',
        severity: 'error',
        message:
          `${r.dv.describe} asks for ${sized(request.text, request.quantity.bytes)}${raised} less than ${dvRestoreSize(r, restore)}: ` +
          `CDI refuses the clone ("target resources requests storage size is smaller than the source") ` +
          `and the DataVolume stays pending. Set the request to ${restore.text}${orRemove}.`,
        file: ctx.file,
        range: dvRange(r),
        fixes: [...setRequestFix(r, restore.text, true), ...removeRequestFix(r, false)],
        data: dvData(r, restore),
      });
    }
    return out;
  },
};
