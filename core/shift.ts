/** Moves findings (and their fixes' edits) down or up by whole lines: a document that moved keeps its findings. */
import type { Finding, Range } from './types.js';

export function shiftRange(r: Range, delta: number): Range {
  return { start: { line: r.start.line + delta, character: r.start.character }, end: { line: r.end.line + delta, character: r.end.character } };
}

export function shiftFindings(findings: readonly Finding[], delta: number): readonly Finding[] {
  if (delta === 0 || findings.length === 0) return findings;
  return findings.map((f) => ({
    ...f,
    range: shiftRange(f.range, delta),
    ...(f.fixes ? { fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, range: shiftRange(e.range, delta) })) })) } : {}),
  }));
}
