/** `snapshot-not-found`: the restored VolumeSnapshot is nowhere we can see, so its size can't be checked. */
import { rangeIn } from '../claims.js';
import type { Finding } from '../types.js';
import { restoreKinds } from './restoreCommon.js';
import type { Rule } from './rule.js';

export const snapshotNotFound: Rule = {
  id: 'snapshot-not-found',
  defaultSeverity: 'info',
  title: 'VolumeSnapshot not found',
  description: 'The VolumeSnapshot a PVC restores is in none of the analysed files (nor the connected cluster); its size cannot be checked.',
  reads: 'facts',
  kinds: restoreKinds,
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.restores) {
      if (r.snapshot) continue;
      const name = `${r.snapshotNamespace}/${r.claim.ref.name}`;
      out.push({
        rule: 'snapshot-not-found',
        severity: 'info',
        message:
          `VolumeSnapshot ${name} (restored by ${r.claim.describe}) is not in the analysed files ` +
          `or the connected cluster; its restoreSize cannot be checked.`,
        file: ctx.file,
        range: rangeIn(r, r.claim.ref.nameNode),
        data: { snapshot: name },
      });
    }
    return out;
  },
};
