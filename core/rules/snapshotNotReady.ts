/** `snapshot-not-ready`: the restored VolumeSnapshot has no (or a zero) restoreSize yet. */
import { rangeIn } from '../claims.js';
import type { Finding } from '../types.js';
import { restoreKinds } from './restoreCommon.js';
import type { Rule } from './rule.js';

export const snapshotNotReady: Rule = {
  id: 'snapshot-not-ready',
  defaultSeverity: 'info',
  title: 'VolumeSnapshot has no restoreSize yet',
  description: 'The VolumeSnapshot a PVC restores has no status.restoreSize yet; its size cannot be checked.',
  reads: 'facts',
  kinds: restoreKinds,
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.restores) {
      const snap = r.snapshot;
      // An unparsable restoreSize is reported by invalid-quantity on the snapshot itself.
      if (!snap || (snap.restoreSizeText !== undefined && snap.restoreSizeBytes === undefined)) continue;
      if (snap.restoreSizeBytes !== undefined && snap.restoreSizeBytes > 0n) continue;
      const name = `${r.snapshotNamespace}/${r.claim.ref.name}`;
      const state = snap.restoreSizeBytes === 0n ? 'reports restoreSize 0' : 'has no status.restoreSize yet';
      const ready = snap.readyToUse === undefined ? '' : ` (readyToUse: ${snap.readyToUse})`;
      out.push({
        rule: 'snapshot-not-ready',
        severity: 'info',
        message: `VolumeSnapshot ${name} ${state}${ready}; the size of ${r.claim.describe} cannot be checked until it does: wait for readyToUse and a restoreSize, then size the restore to it.`,
        file: ctx.file,
        range: rangeIn(r, r.claim.ref.nameNode),
        data: { snapshot: name },
      });
    }
    return out;
  },
};
