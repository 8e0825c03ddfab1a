/**
 * What the readers of a document keep for it in weak maps (claims, DataVolume claims, the claims a resource
 * writes), dropped by a one-shot Workspace once the document's findings are handed out. A weak map's value lives
 * through every young-generation GC while its key is in the old generation, whether the key is still reachable or
 * not (only a full GC tells): the claims the analysis pass cached for documents parsed in the index pass were
 * copied and promoted by each scavenge until then (bench/README.md, lintgc).
 */
import { forgetClaimsIn } from './claimSpecs/places.js';
import { forgetClaims } from './claims.js';
import { forgetDataVolumeClaims } from './dataVolumes.js';
import type { Resource } from './resources.js';
import type { ParsedSegment } from './yaml/segment.js';

export function forgetDerived(parsed: ParsedSegment, resources: readonly (readonly Resource[])[] | undefined): void {
  for (const part of parsed.docs) {
    if (!part.doc) continue;
    forgetClaims(part.doc);
    forgetDataVolumeClaims(part.doc);
  }
  for (const list of resources ?? []) for (const r of list) forgetClaimsIn(r);
}
