/**
 * `cdi-render-rejected`: CDI will refuse a claim it renders — its PVC webhook denies the PVC (failurePolicy Fail),
 * the DataVolume controller fails the DataVolume, a VolumeClaimTemplate's rendering fails — for the reasons
 * RenderPvc gives: no access modes and no class to choose a StorageProfile, a missing size, less than 1MiB,
 * Block with archive content, a StorageProfile with no matching set — or the API server will refuse what CDI's
 * webhook returns (a clone it leaves without a size, or with 0: render.ts `refusals`).
 */
import { isNode } from 'yaml';
import { claimsIn } from '../claimSpecs/places.js';
import { readClaim } from '../claimSpecs/read.js';
import { renderResultOf } from '../claimSpecs/render.js';
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
    "A claim CDI renders (a PVC labelled for its webhook, a DataVolume's spec.storage, a VolumeClaimTemplate) that RenderPvc refuses (no access modes and no class to choose a StorageProfile, a missing size, less than 1MiB), or that the API server will refuse as CDI's webhook returns it (a clone left without a size).",
  reads: 'facts',
  kinds: ['PersistentVolumeClaim', 'DataVolume', 'VirtualMachine', 'StatefulSet'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      for (const c of claimsIn(r)) {
        // CDI renders a PVC (or a StatefulSet's) only when it carries the label: the others cost no rendering.
        const f = c.place.flavour;
        if (f === 'dv-pvc' || ((f === 'pvc' || f === 'sts-template') && scalarString(r.doc, [...c.metadataPath, 'labels', LABEL.applyStorageProfile]) !== 'true')) continue;
        // Only the denials matter here: the render's result, without renderClaim's explanations of each field.
        const { denials, refusals, webhookApplies } = renderResultOf(readClaim(c, ctx.settings.defaultNamespace), ctx.facts, ctx.settings);
        // As isRendered (claimSpecs/describe.ts): a PVC is rendered only when the webhook applies.
        if ((denials.length === 0 && refusals.length === 0) || ((f === 'pvc' || f === 'sts-template') && !webhookApplies)) continue;
        const hit = walk(r.doc, c.specPath);
        const at = isNode(hit?.pair?.key) ? hit.pair.key : hit?.node;
        if (!at) continue;
        const who = c.place.flavour === 'template' ? 'rendering' : c.place.flavour === 'dv-storage' ? "the DataVolume controller" : "CDI's PVC webhook";
        // A denial stops the PVC in CDI's webhook; a refusal is the API server's validation of what the webhook returns.
        const message =
          denials.length > 0 ? `CDI will reject ${c.describe} (${who}): ${denials.join('; ')}.`
          : `The API server will refuse ${c.describe} after CDI's PVC webhook: ${refusals.join('; ')}.`;
        out.push({
          rule: 'cdi-render-rejected',
          severity: 'error',
          message,
          file: ctx.file,
          range: rangeOf(r.doc, at),
          data: { denial: (denials.length > 0 ? denials : refusals).join('; '), claim: c.describe },
        });
      }
    }
    return out;
  },
};
