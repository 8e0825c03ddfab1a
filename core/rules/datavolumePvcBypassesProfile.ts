/**
 * `datavolume-pvc-bypasses-profile`: a DataVolume (or a VM's dataVolumeTemplate) written with `spec.pvc`, which
 * CDI copies verbatim: no StorageProfile defaults, no filesystem overhead (a Filesystem disk image may not fit).
 * `spec.storage` takes the same fields and gets both. The fix renames the field.
 */
import { isNode } from 'yaml';
import { claimsIn } from '../claimSpecs/places.js';
import type { Finding } from '../types.js';
import { rangeOf } from '../yaml/documents.js';
import { walk } from '../yaml/navigate.js';
import type { Rule } from './rule.js';

export const datavolumePvcBypassesProfile: Rule = {
  id: 'datavolume-pvc-bypasses-profile',
  defaultSeverity: 'info',
  title: 'DataVolume spec.pvc bypasses the StorageProfile',
  description: "A DataVolume (or dataVolumeTemplate) with spec.pvc, which CDI copies verbatim: no StorageProfile defaults, no filesystem overhead. spec.storage gets both; the fix renames the field.",
  reads: 'document',
  kinds: ['DataVolume', 'VirtualMachine'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.kind !== 'DataVolume' && r.kind !== 'VirtualMachine') continue; // the only kinds with a spec.pvc
      for (const c of claimsIn(r)) {
        if (c.place.flavour !== 'dv-pvc') continue;
        const key = walk(r.doc, c.specPath)?.pair?.key;
        if (!isNode(key) || !key.range) continue;
        const hasStorage = walk(r.doc, [...c.specPath.slice(0, -1), 'storage']) !== undefined;
        const range = rangeOf(r.doc, key);
        out.push({
          rule: 'datavolume-pvc-bypasses-profile',
          severity: 'info',
          message: `${c.describe} is copied verbatim, so CDI applies no StorageProfile defaults and no filesystem overhead; spec.storage takes the same fields and gets both.`,
          file: ctx.file,
          range,
          ...(hasStorage ? {} : { fixes: [{ title: 'Use spec.storage (rendered from the StorageProfile)', preferred: true, edits: [{ range, newText: 'storage' }] }] }),
        });
      }
    }
    return out;
  },
};
