/** `snapshot-not-ready`: the restored VolumeSnapshot has no (or a zero) restoreSize yet. */
import { rangeIn } from '../claims.js';
import { contentRestoreSize } from '../snapshotContents.js';
import { groupDigits } from '../quantity.js';
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
      // The controller will copy its content's restoreSize: the size rules check against that, and say so.
      const c = contentRestoreSize(snap, ctx.facts);
      const then = c
        ? `; its VolumeSnapshotContent ${c.content} reports restoreSize ${groupDigits(c.bytes)} bytes (${c.text}), which the snapshot controller copies to the snapshot: the size of ${r.claim.describe} is checked against that. Wait for readyToUse before restoring.`
        : `; the size of ${r.claim.describe} cannot be checked until it does: wait for readyToUse and a restoreSize, then size the restore to it.`;
      out.push({
        rule: 'snapshot-not-ready',
        severity: 'info',
        message: `VolumeSnapshot ${name} ${state}${ready}${then}`,
        file: ctx.file,
        range: rangeIn(r, r.claim.ref.nameNode),
        data: { snapshot: name, ...(c ? { restoreSizeFrom: `VolumeSnapshotContent/${c.content}`, contentRestoreSizeBytes: String(c.bytes) } : {}) },
      });
    }
    return out;
  },
};
