/**
 * `resources.requests.storage` values: a clone's or restore's source size first, then common sizes, each with
 * its exact bytes and what CDI will render it to for this claim (overhead, minimum, version).
 */
import { rejection } from '../../cdi/render.js';
import type { ClaimSpec } from '../../claimSpecs/read.js';
import { renderClaim, renderResultOf, sourceSizeOf } from '../../claimSpecs/render.js';
import { ANNOTATION } from '../../kinds/index.js';
import { groupDigits, parseQuantity } from '../../quantity.js';
import { claimAtCursor, claimValue, classAtCursor } from '../items.js';
import type { CompletionContext, CompletionItem, CompletionProvider } from '../types.js';

const common = ['1Gi', '10Gi', '20Gi', '30Gi', '50Gi', '100Gi'];

/** What CDI makes of `text` for this claim, in one sentence. */
function rendering(ctx: CompletionContext, spec: ClaimSpec, text: string, bytes: bigint): string {
  const r = renderClaim({ ...spec, input: { ...spec.input, requestBytes: bytes }, request: { text, bytes } }, ctx.facts, ctx.settings);
  const rejected = rejection(r.result, 'the claim');
  if (rejected !== undefined) return `${rejected}.`;
  if (r.rendered.storage === text) return `CDI keeps it as written (${r.why.storage}).`;
  const rendered = r.result.renderedBytes;
  return rendered === undefined ? `CDI: ${r.why.storage}.` : `CDI requests **${groupDigits(rendered)} bytes** (${r.why.storage}).`;
}

export const sizes: CompletionProvider = {
  id: 'sizes',
  provide(ctx) {
    if (!claimValue(ctx, 'resources', 'requests', 'storage')) return [];
    const spec = claimAtCursor(ctx);
    if (!spec) return [];
    const candidates: { text: string; detail: string; why?: string }[] = [];
    // The size CDI takes from the source when none is asked, against the class and mode this claim renders to.
    const source = sourceSizeOf(spec.input, ctx.facts, renderResultOf(spec, ctx.facts, ctx.settings));
    if (source) candidates.push({ text: source.text, detail: 'the source\'s size', why: `The size of the source: ${source.from}. A clone or restore must ask for at least this.` });
    const typed = /^\d+$/.test(ctx.cursor.prefix) ? ctx.cursor.prefix : undefined;
    if (typed) for (const unit of ['Mi', 'Gi', 'Ti']) candidates.push({ text: `${typed}${unit}`, detail: '' });
    const sc = classAtCursor(ctx);
    const minimum = sc ? ctx.facts.storageProfile(sc.name) : undefined;
    if (minimum?.minimumSupportedPvcSizeText) candidates.push({ text: minimum.minimumSupportedPvcSizeText, detail: 'StorageProfile minimum', why: `StorageProfile ${sc!.name}'s \`${ANNOTATION.minimumSupportedPvcSize}\`: CDI raises smaller requests to it.` });
    for (const c of common) candidates.push({ text: c, detail: '' });
    const seen = new Set<string>();
    const out: CompletionItem[] = [];
    for (const c of candidates) {
      if (seen.has(c.text)) continue;
      seen.add(c.text);
      const q = parseQuantity(c.text);
      if (!q.ok) continue;
      const bytes = q.quantity.bytes;
      out.push({
        label: c.text,
        kind: 'unit',
        detail: [c.detail, `${groupDigits(bytes)} bytes`].filter(Boolean).join(' · '),
        documentation: [`**${c.text}** = ${groupDigits(bytes)} bytes`, ...(c.why ? [c.why] : []), rendering(ctx, spec, c.text, bytes)].join('\n\n'),
        rank: out.length,
        ...(out.length === 0 && source ? { preselect: true } : {}),
      });
    }
    return out;
  },
};
