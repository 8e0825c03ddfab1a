/**
 * `cdi-render-rejected`: CDI will refuse a claim it renders — its PVC webhook denies the PVC (failurePolicy Fail),
 * the DataVolume controller fails the DataVolume, a VolumeClaimTemplate's rendering fails — for the reasons
 * RenderPvc gives: no access modes and no class to choose a StorageProfile, a missing size, less than 1MiB,
 * Block with archive content, a StorageProfile with no matching set.
 */
import { isNode } from 'yaml';
import { isRendered } from '../claimSpecs/describe.js';
import { claimsIn } from '../claimSpecs/places.js';
import { readClaim } from '../claimSpecs/read.js';
import { renderClaim } from '../claimSpecs/render.js';
import type { Finding } from '../types.js';
import { LABEL } from '../kinds/index.js';
import { rangeOf, scalarString } from '../yaml/documents.js';
import { walk } from '../yaml/navigate.js';
import type { Rule } from './rule.js';

export const cdiRenderRejected: Rule = {
  id: 'cdi-render-rejected',
  defaultSeverity: 'error',
  title: 'CDI will reject the claim',
  description:
    "A claim CDI renders (a PVC labelled for its webhook, a DataVolume's spec.storage, a VolumeClaimTemplate) that RenderPvc refuses: no access modes and no class to choose a StorageProfile, a missing size, less than 1MiB.",
  reads: 'facts',
  kinds: ['PersistentVolumeClaim', 'DataVolume', 'VirtualMachine', 'StatefulSet'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      for (const c of claimsIn(r)) {
        // CDI renders a PVC (or a StatefulSet's) only when it carries the label: the others cost no rendering.
        const f = c.place.flavour;
        if (f === 'dv-pvc' || ((f === 'pvc' || f === 'sts-template') && scalarString(r.doc, [...c.metadataPath, 'labels', LABEL.applyStorageProfile]) !== 'true')) continue;
        const rc = renderClaim(readClaim(c, ctx.settings.defaultNamespace), ctx.facts, ctx.settings);
        if (!isRendered(rc) || rc.result.denials.length === 0) continue;
        const hit = walk(r.doc, c.specPath);
        const at = isNode(hit?.pair?.key) ? hit.pair.key : hit?.node;
        if (!at) continue;
        const who = c.place.flavour === 'template' ? 'rendering' : c.place.flavour === 'dv-storage' ? "the DataVolume controller" : "CDI's PVC webhook";
        out.push({
          rule: 'cdi-render-rejected',
          severity: 'error',
          message: `CDI will reject ${c.describe} (${who}): ${rc.result.denials.join('; ')}.`,
          file: ctx.file,
          range: rangeOf(r.doc, at),
          data: { denial: rc.result.denials.join('; '), claim: c.describe },
        });
      }
    }
    return out;
  },
};
