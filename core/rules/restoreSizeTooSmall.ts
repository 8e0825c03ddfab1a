/** `restore-size-too-small`: a restore PVC asks for less than the snapshot's restoreSize; it cannot be provisioned. */
import type { Finding } from '../types.js';
import { baseData, requestRange, restoreKinds, setToRestoreSize, sized, sizedRestore, snapshotName } from './restoreCommon.js';
import type { Rule } from './rule.js';

export const restoreSizeTooSmall: Rule = {
  id: 'restore-size-too-small',
  defaultSeverity: 'error',
  title: 'Restore PVC smaller than the snapshot',
  description: "A PVC restoring a VolumeSnapshot asks for less than the snapshot's restoreSize; provisioning fails.",
  reads: 'facts',
  kinds: restoreKinds,
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.restores) {
      const s = sizedRestore(r);
      if (!s || s.requested >= s.restoreBytes) continue;
      out.push({
        rule: 'restore-size-too-small',
        severity: 'error',
        message:
          `${r.claim.describe} asks for ${sized(s.request.text, s.requested)}, less than ${snapshotName(r)}'s ` +
          `restoreSize ${sized(s.restoreText, s.restoreBytes)}: a volume restored from a snapshot cannot be smaller than it. Set the request to ${s.restoreText}.`,
        file: ctx.file,
        range: requestRange(s),
        fixes: setToRestoreSize(s, true),
        data: baseData(s),
      });
    }
    return out;
  },
};
