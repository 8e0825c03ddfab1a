/**
 * `hco-field-path`: a HyperConverged field at the path of the other API version. In `hco.kubevirt.io/v1`
 * (HCO v1.18+) the flat v1beta1 fields moved (`spec.dataImportCronTemplates` →
 * `spec.workloadSources.dataImportCronTemplates`, `spec.filesystemOverhead` → `spec.storage.filesystemOverhead`,
 * …); written at the old path, the API server prunes them as unknown and HCO never sees them. The v1 sections
 * under a v1beta1 apiVersion are pruned the same way. The table is core/hco/fieldPaths.ts.
 */
import { V1BETA1_TO_V1, V1_ONLY_SECTIONS, v1beta1PathOf } from '../hco/fieldPaths.js';
import type { Finding } from '../types.js';
import { entries, setValueFix } from './storageFields.js';
import type { Rule } from './rule.js';

export const hcoFieldPath: Rule = {
  id: 'hco-field-path',
  defaultSeverity: 'error',
  title: 'HyperConverged field at the wrong path for its apiVersion',
  description: 'A HyperConverged field written at the path of the other API version (hco.kubevirt.io/v1 moved the v1beta1 fields under workloadSources, storage, virtualization, networking, security and deployment): the API server prunes it and HCO never sees it.',
  reads: 'document',
  kinds: ['HyperConverged'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.kind !== 'HyperConverged') continue;
      const spec = entries(r.doc, [...r.base, 'spec']);
      const name = r.name ?? '';
      if (r.version === 'v1') {
        for (const e of spec) {
          const to = Object.hasOwn(V1BETA1_TO_V1, e.key) ? V1BETA1_TO_V1[e.key] : undefined;
          if (!to) continue;
          out.push({
            rule: 'hco-field-path',
            severity: 'error',
            message: `HyperConverged ${name} is hco.kubevirt.io/v1, where spec.${e.key} is spec.${to.path}${to.note ? ` (${to.note})` : ''}: at spec.${e.key} the API server prunes it and HCO never sees it.`,
            file: ctx.file,
            range: e.keyRange,
            data: { field: `spec.${e.key}`, v1Path: `spec.${to.path}` },
          });
        }
      } else {
        const sections = spec.filter((e) => V1_ONLY_SECTIONS.includes(e.key));
        const flat = spec.some((e) => Object.hasOwn(V1BETA1_TO_V1, e.key));
        for (const e of sections) {
          const inside = entries(r.doc, [...r.base, 'spec', e.key]).map((c) => c.key);
          const olds = inside.map((k) => v1beta1PathOf(e.key, k)).filter((k): k is string => k !== undefined);
          const fix = flat ? [] : setValueFix(r.doc, [...r.base, 'apiVersion'], 'hco.kubevirt.io/v1', 'Change apiVersion to hco.kubevirt.io/v1 (these are its fields)');
          out.push({
            rule: 'hco-field-path',
            severity: 'error',
            message: `HyperConverged ${name} is hco.kubevirt.io/${r.version}, which has no spec.${e.key} (that is the hco.kubevirt.io/v1 layout): the API server prunes it.${olds.length > 0 ? ` In ${r.version} ${olds.length === 1 ? 'it is' : 'they are'} ${olds.map((o) => `spec.${o}`).join(', ')}.` : ''}${flat ? '' : ' Or say apiVersion: hco.kubevirt.io/v1.'}`,
            file: ctx.file,
            range: e.keyRange,
            ...(fix.length > 0 ? { fixes: fix } : {}),
            data: { field: `spec.${e.key}`, apiVersion: r.apiVersion },
          });
        }
      }
    }
    return out;
  },
};
