/**
 * `volumeclaimtemplates-unserved`: a VirtualMachine with `spec.volumeClaimTemplates`, the VolumeClaimTemplates
 * design (kubevirt/community PR #232) that KubeVirt never merged: no released VirtualMachine CRD serves the field,
 * so the API server prunes it (or, with kubectl's strict field validation, rejects the VM) and no PVC is created.
 * The fix expands the templates into PVCs rendered as CDI would (core/volumeClaimTemplates/expand.ts).
 */
import { isNode } from 'yaml';
import type { Finding } from '../types.js';
import { rangeOf } from '../yaml/documents.js';
import { walk } from '../yaml/navigate.js';
import { expandVolumeClaimTemplates } from '../volumeClaimTemplates/expand.js';
import type { Rule } from './rule.js';

export const volumeClaimTemplatesUnserved: Rule = {
  id: 'volumeclaimtemplates-unserved',
  defaultSeverity: 'warning',
  title: 'VirtualMachine volumeClaimTemplates is not served',
  description:
    'A VirtualMachine with spec.volumeClaimTemplates, a design KubeVirt never merged (kubevirt/community PR #232): the VirtualMachine CRD does not serve the field, so no PVC is created. The fix expands the templates into PVCs rendered as CDI would.',
  reads: 'facts',
  kinds: ['VirtualMachine'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.kind !== 'VirtualMachine') continue;
      const key = walk(r.doc, [...r.base, 'spec', 'volumeClaimTemplates'])?.pair?.key;
      if (!isNode(key) || !key.range) continue;
      const x = expandVolumeClaimTemplates(r, ctx.facts, ctx.settings);
      const fix = x.ok
        ? [{ title: `Expand into PVCs ${x.pvcs.map((p) => p.name).join(', ')}`, preferred: true, edits: [{ range: { start: x.insertAt, end: x.insertAt }, newText: x.pvcs.map((p) => `${p.yaml}---\n`).join('') }, ...x.vmEdits] }]
        : [];
      out.push({
        rule: 'volumeclaimtemplates-unserved',
        severity: 'warning',
        message:
          `VirtualMachine ${r.name ?? '(unnamed)'}: KubeVirt has no spec.volumeClaimTemplates (the design was not merged), so the API server drops it and no PVC is created. ` +
          (x.ok ? 'Expand the templates into PVCs.' : `They cannot be expanded as written: ${x.message}`),
        file: ctx.file,
        range: rangeOf(r.doc, key),
        ...(fix.length ? { fixes: fix } : {}),
      });
    }
    return out;
  },
};
