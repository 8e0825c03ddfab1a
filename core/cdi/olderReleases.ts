/**
 * What older CDI releases would render, for when no version is known: the newest release is assumed (it leaves
 * VolumeSnapshot restores alone), and the rules add what the releases that still inflate would do, as information.
 */
import type { Facts } from '../facts.js';
import { groupDigits } from '../quantity.js';
import type { Settings } from '../types.js';
import type { PvcSpecInput, RenderResult } from './render.js';
import { renderPvc } from './render.js';

/** The newest tag of each formula that still inflates snapshot restores: multiply/0.06 and divide/0.055. */
export const inflatingReleases = ['v1.63.1', 'v1.62.0'] as const;

export interface OlderRender {
  version: (typeof inflatingReleases)[number];
  render: RenderResult;
  bytes: bigint;
}

/** The renders of `input` by the inflating releases that would change its size (none when their webhook would not see it). */
export function olderRenders(input: PvcSpecInput, facts: Facts, settings: Settings): OlderRender[] {
  return inflatingReleases.flatMap((version) => {
    const render = renderPvc(input, facts, { ...settings, cdiVersion: version });
    const bytes = render.renderedBytes;
    return render.webhookApplies && render.inflated && bytes !== undefined ? [{ version, render, bytes }] : [];
  });
}

/** "22,229,812 bytes with CDI v1.63.0–v1.63.1 (overhead 0.06 …), 22,192,085 bytes with v1.62.0 and older (…)". */
export function describeOlder(older: readonly OlderRender[]): string {
  const range = (v: OlderRender['version']) => (v === 'v1.63.1' ? 'CDI v1.63.0–v1.63.1' : 'CDI v1.62.0 and older');
  return older.map((o) => `${groupDigits(o.bytes)} bytes with ${range(o.version)} (overhead ${o.render.overhead} from ${o.render.overheadSource})`).join(', ');
}
