/**
 * Suppressions written in the manifests, applied as a post-filter over an analysis' findings:
 *   - the annotation `kubevirt-storage.io/ignore: rule-a,rule-b` (or `all`) on an object hides those rules'
 *     findings on that object (an item of a `kind: List` on its own);
 *   - a trailing comment `# kvstorage-ignore rule-a,rule-b` (or no ids: every rule) hides the findings that start
 *     on its line.
 * Cheap when nothing is suppressed: a file without either marker is returned as it is, unread.
 */
import { ANNOTATION } from './kinds/index.js';
import { ownValue } from './own.js';
import type { Resource } from './resources.js';
import { at } from './resources.js';
import type { Finding, Position, Range } from './types.js';
import { docAtPosition, locate, stringMap, type ParsedFile, type YamlDoc } from './yaml/documents.js';

/** The comment marker. */
export const ignoreComment = 'kvstorage-ignore';

const commentPattern = new RegExp(`(?:^|\\s)#\\s*${ignoreComment}(?::|\\s|$)([^#]*)$`);

function ids(list: string): Set<string> {
  return new Set(list.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s !== ''));
}

function inside(pos: Position, r: Range): boolean {
  const afterStart = pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.character);
  const beforeEnd = pos.line < r.end.line || (pos.line === r.end.line && pos.character <= r.end.character);
  return afterStart && beforeEnd;
}

/** The rules a trailing comment on `line` suppresses: undefined for none, an empty set for all. */
function commentOn(d: YamlDoc, line: number): Set<string> | undefined {
  const start = d.toOffset({ line, character: 0 });
  if (start === undefined) return undefined;
  const nl = d.text.indexOf('\n', start);
  const text = d.text.slice(start, nl < 0 ? undefined : nl).replace(/\r$/, '');
  const m = commentPattern.exec(text);
  return m ? ids(m[1] ?? '') : undefined;
}

/** The rules the annotation of the object holding `pos` suppresses (undefined: none). */
function annotationAt(resources: readonly Resource[], d: YamlDoc, pos: Position): Set<string> | undefined {
  const mine = resources.filter((r) => r.doc === d);
  const r = mine.length === 1 && mine[0]!.base.length === 0 ? mine[0] : mine.find((x) => { const l = locate(d, x.base); return l !== undefined && inside(pos, l.range); });
  if (!r) return undefined;
  const value = ownValue(stringMap(d, at(r, 'metadata', 'annotations')), ANNOTATION.ignoreRules);
  return value === undefined ? undefined : ids(value);
}


/** Whether a text holds either marker: without one, nothing in it is suppressed. */
export function hasSuppressionMarker(text: string): boolean {
  return text.includes(ignoreComment) || text.includes(ANNOTATION.ignoreRules);
}

/**
 * Whether finding `f`, in document `d` (the one holding its start; `resources` hold d's objects, in the same
 * positions as `f`: file positions, or a segment's relative ones), is suppressed by a comment or an annotation.
 */
export function isSuppressed(f: Finding, d: YamlDoc, resources: readonly Resource[]): boolean {
  // A bare comment hides every rule on its line; an annotation names the rules (or `all`).
  const comment = commentOn(d, f.range.start.line);
  if (comment && (comment.size === 0 || comment.has(f.rule) || comment.has('all'))) return true;
  const annotation = d.doc ? annotationAt(resources, d, f.range.start) : undefined;
  return annotation !== undefined && (annotation.has(f.rule) || annotation.has('all'));
}

/**
 * The findings of one file that are not suppressed. `parsed` and `resources` are the file's (Workspace.parsedFile
 * and Workspace.resources, or a fresh parse); `text`, when known, lets a file without markers skip the work.
 */
export function unsuppressed(findings: readonly Finding[], parsed: ParsedFile | undefined, resources: readonly Resource[], text?: string): Finding[] {
  if (findings.length === 0 || !parsed) return [...findings];
  if (text !== undefined && !hasSuppressionMarker(text)) return [...findings];
  return findings.filter((f) => {
    const d = docAtPosition(parsed, f.range.start);
    return !d || !isSuppressed(f, d, resources);
  });
}
