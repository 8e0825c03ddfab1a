/** `snapshot-not-found`: the restored VolumeSnapshot is nowhere we can see, so its size can't be checked. */
import { rangeIn } from '../claims.js';
import type { Finding } from '../types.js';
import { rangeOf } from '../yaml/documents.js';
import { dataVolumeKinds, dataVolumeRestores } from './dataVolumeCommon.js';
import { restoreKinds } from './restoreCommon.js';
import type { Rule } from './rule.js';

export const snapshotNotFound: Rule = {
  id: 'snapshot-not-found',
  defaultSeverity: 'info',
  title: 'VolumeSnapshot not found',
  description:
    'The VolumeSnapshot a PVC, DataVolume or VM dataVolumeTemplate restores is in none of the analysed files (nor the connected cluster); its size cannot be checked.',
  reads: 'facts',
  kinds: [...new Set([...restoreKinds, ...dataVolumeKinds])],
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
          `or the connected cluster; its restoreSize cannot be checked. Add its YAML, connect the cluster that holds it, or correct the name.`,
        file: ctx.file,
        range: rangeIn(r, r.claim.ref.nameNode),
        data: { snapshot: name },
      });
    }
    for (const r of dataVolumeRestores(ctx)) {
      if (r.snapshot) continue;
      const name = `${r.snapshotNamespace}/${r.snapshotName}`;
      const via = r.dataSource ? ` through DataSource ${r.dataSource.namespace}/${r.dataSource.name}` : '';
      out.push({
        rule: 'snapshot-not-found',
        severity: 'info',
        message:
          `VolumeSnapshot ${name} (restored by ${r.dv.describe}${via}) is not in the analysed files ` +
          `or the connected cluster; its restoreSize cannot be checked. Add its YAML, connect the cluster that holds it, or correct the name.`,
        file: ctx.file,
        range: rangeOf(r.doc, r.dv.source.nameNode),
        data: { snapshot: name },
      });
    }
    return out;
  },
};
