/**
 * `restore-size-exceeded`: a restore PVC asks for more than the snapshot's restoreSize. Most drivers expand
 * the volume; strict ones (NetApp Trident) refuse: "requested PVC size ... is too large for the clone source".
 */
import type { Finding } from '../types.js';
import { plainStorageClass } from '../claims.js';
import { baseData, requestRange, restoreKinds, setToRestoreSize, sized, restoreSizeWords, sizedRestore, strictness } from './restoreCommon.js';
import type { Rule } from './rule.js';

export const restoreSizeExceeded: Rule = {
  id: 'restore-size-exceeded',
  defaultSeverity: 'warning',
  title: 'Restore PVC larger than the snapshot',
  description:
    'A PVC restoring a VolumeSnapshot asks for more than its restoreSize; strict CSI drivers (NetApp Trident) refuse it. Error on provisioners listed in kubevirtStorage.restore.strictProvisioners.',
  reads: 'facts',
  kinds: restoreKinds,
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.restores) {
      const s = sizedRestore(r, ctx.facts);
      if (!s || s.requested <= s.restoreBytes) continue;
      const cls = plainStorageClass(r.claim, ctx.facts);
      const provisioner = cls?.provisioner;
      const { severity, why } = strictness(provisioner, ctx.settings);
      out.push({
        rule: 'restore-size-exceeded',
        severity,
        message:
          `${r.claim.describe} asks for ${sized(s.request.text, s.requested)}, more than ` +
          `${restoreSizeWords(s)}; ${why}. Set the request to ${s.restoreText} and expand the PVC after the restore.`,
        file: ctx.file,
        range: requestRange(s),
        fixes: setToRestoreSize(s, true),
        data: Object.assign(baseData(s), cls ? { storageClass: cls.name } : {}, provisioner ? { provisioner } : {}),
      });
    }
    return out;
  },
};
