/**
 * The PD CSI driver's parameter checks over StorageClasses and VolumeSnapshotClasses provisioned by it, shared by
 * `gcp-pd-unknown-parameter` and `gcp-pd-invalid-value` (core/gcp/pdParameters.ts says what the driver accepts).
 */
import { checkSnapshotClassParameters, checkStorageClassParameters, type ParameterRule } from '../gcp/pdParameters.js';
import type { KindName } from '../kinds/index.js';
import { putOwn } from '../own.js';
import type { Finding, Fix } from '../types.js';
import { yamlScalar } from '../yaml/documents.js';
import { entries, isPd } from './storageFields.js';
import type { RuleContext } from './rule.js';

export const parameterKinds: readonly KindName[] = ['StorageClass', 'VolumeSnapshotClass'];

export function parameterFindings(ctx: RuleContext, rule: ParameterRule): Finding[] {
  const out: Finding[] = [];
  for (const r of ctx.resources) {
    if ((r.kind !== 'StorageClass' && r.kind !== 'VolumeSnapshotClass') || !isPd(r)) continue;
    const written = entries(r.doc, [...r.base, 'parameters']);
    const params: Record<string, string> = {};
    for (const e of written) if (e.value !== undefined) putOwn(params, e.key, e.value);
    const problems = (r.kind === 'StorageClass' ? checkStorageClassParameters : checkSnapshotClassParameters)(params);
    for (const p of problems) {
      if (p.rule !== rule) continue;
      const e = written.find((x) => x.key === p.key);
      if (!e) continue;
      const range = rule === 'gcp-pd-unknown-parameter' ? e.keyRange : e.valueRange;
      const fixes: Fix[] = p.replacement
        ? [{ title: p.replacement.what === 'key' ? `Rename to ${p.replacement.text}` : `Change to ${p.replacement.text}`, preferred: true, edits: [{ range, newText: yamlScalar(p.replacement.text) }] }]
        : [];
      out.push({
        rule,
        severity: p.severity,
        message: `${r.kind} ${r.name ?? ''}: ${p.message}`.replace(/ {2,}/g, ' '),
        file: ctx.file,
        range,
        ...(fixes.length > 0 ? { fixes } : {}),
        data: { parameter: p.key, value: e.value ?? '', kind: r.kind },
      });
    }
  }
  return out;
}
