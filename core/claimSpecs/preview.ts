/**
 * The render preview of a file ("Show CDI render"): for every claim, each field as written and as CDI will
 * render it, why, and whether they differ; or why CDI will reject the claim.
 */
import { isNode } from 'yaml';
import type { Facts } from '../facts.js';
import { groupDigits } from '../quantity.js';
import type { Resource } from '../resources.js';
import type { Range, Settings } from '../types.js';
import { rangeOf } from '../yaml/documents.js';
import { walk } from '../yaml/navigate.js';
import { isRendered, renderer } from './describe.js';
import type { ClaimFlavour } from './places.js';
import { claimsIn } from './places.js';
import { readClaim } from './read.js';
import { renderClaim, type ClaimFields } from './render.js';

export type PreviewFieldName = 'storageClassName' | 'accessModes' | 'volumeMode' | 'storage';

export interface PreviewField {
  field: PreviewFieldName;
  /** As written; absent when the claim leaves it out. */
  written?: string;
  /** As CDI leaves it; absent when it stays empty. */
  rendered?: string;
  /** Why the rendered value is what it is. */
  why: string;
  changed: boolean;
}

export interface ClaimPreview {
  /** "VirtualMachine cirros, volumeClaimTemplate rootdisk" */
  describe: string;
  flavour: ClaimFlavour;
  /** Who renders it, in words. */
  renderer: string;
  /** Whether CDI renders it at all (an unlabelled PVC and `spec.pvc` are left as written). */
  rendered: boolean;
  /** Where the claim's spec is written, for "go to". */
  range: Range;
  fields: PreviewField[];
  /** What CDI would reject the claim with, then what the API server would refuse in what CDI returns. */
  denials: string[];
  /** Facts the prediction lacked. */
  unknowns: string[];
  /** The CDI version used, and where it came from. */
  cdi: string;
}

const show = (f: ClaimFields, field: PreviewFieldName): string | undefined => {
  const v = f[field];
  return v === undefined ? undefined : Array.isArray(v) ? (v.length === 0 ? undefined : v.join(', ')) : v;
};

/** The previews of every claim of the given resources, in file order. */
export function claimPreviews(resources: readonly Resource[], facts: Facts, settings: Settings): ClaimPreview[] {
  const out: ClaimPreview[] = [];
  for (const r of resources) {
    for (const c of claimsIn(r)) {
      const rc = renderClaim(readClaim(c, settings.defaultNamespace), facts, settings);
      const hit = walk(r.doc, c.specPath);
      const node = isNode(hit?.pair?.key) ? hit.pair.key : hit?.node;
      if (!node) continue;
      const fields = (['storageClassName', 'accessModes', 'volumeMode', 'storage'] as const).map((field): PreviewField => {
        const written = show(rc.written, field);
        const rendered = show(rc.rendered, field);
        let why = rc.why[field];
        if (field === 'storage' && rendered !== undefined && /^\d+$/.test(rendered)) why = `${groupDigits(BigInt(rendered))} bytes: ${why}`;
        return { field, ...(written === undefined ? {} : { written }), ...(rendered === undefined ? {} : { rendered }), why, changed: written !== rendered };
      });
      out.push({
        describe: c.describe,
        flavour: c.place.flavour,
        renderer: renderer(c.place.flavour, rc.result.webhookApplies).replace(/`/g, ''),
        rendered: isRendered(rc),
        range: rangeOf(r.doc, node),
        fields,
        denials: [...rc.result.denials, ...rc.result.refusals],
        unknowns: rc.result.unknowns,
        cdi: rc.result.cdi.describe,
      });
    }
  }
  out.sort((a, b) => a.range.start.line - b.range.start.line);
  return out;
}
