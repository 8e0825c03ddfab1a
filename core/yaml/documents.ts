/**
 * A YAML file as a list of documents with exact file ranges (and, re-exported, the helpers that read
 * values and build edits). The file is split textually into document segments, each parsed on its own
 * (and cached by its text), so an edit re-parses one document and a syntax error stays inside the
 * document that has it.
 */
import type { Document } from 'yaml';
import type { Position, Range } from '../types.js';
import { lineContentEnd, positionAt } from './lines.js';
import type { DocumentCache, FileMemo } from './cache.js';
import { parseSegment } from './segment.js';
import type { ParsedSegment, SegmentDocument } from './segment.js';
import { splitDocuments } from './split.js';

// This module is the public door of core/yaml: navigation and edit helpers are re-exported from here.
export { DocumentCache } from './cache.js';
export { MAX_NESTING, MAX_PROBLEMS } from './segment.js';
export {
  contentEnd,
  keyText,
  locate,
  nodeAtPosition,
  rangeOf,
  scalarString,
  scalarText,
  sequence,
  stringList,
  stringMap,
} from './navigate.js';
export type { Located, YamlPath } from './navigate.js';
export { removeMapEntryEdit, replaceValueEdit, yamlScalar } from './edits.js';

/** A problem in the YAML itself: a syntax error from yaml, or a bound this library enforces. */
export interface YamlProblem {
  message: string;
  range: Range;
  kind: 'syntax' | 'limit';
  /** yaml's error code (`DUPLICATE_KEY`, `BAD_INDENT`, ...) when it comes from yaml. */
  code?: string;
}

/**
 * One document of a file. `doc` and the nodes in it may be shared with other files and earlier parses
 * through the cache: treat them as read-only. Node offsets (`node.range`) index into `text`, the
 * document's segment; convert them with `toRange`/`toPosition` or the helpers in `navigate.ts`.
 */
export interface YamlDoc {
  /** 0-based index of the document within the file. */
  index: number;
  /** Range of the whole document in the file: from its `---` (or first content line) to its last non-blank character. */
  range: Range;
  /** The parsed document; undefined if it could not be parsed at all (then problems says why). */
  doc: Document.Parsed | undefined;
  /** Syntax errors (yaml's errors, warnings ignored) and limits hit, with file ranges. */
  problems: YamlProblem[];
  /** The document's segment of the file: whole lines, starting at file line `startLine`. */
  readonly text: string;
  readonly startLine: number;
  /** Number of file lines the segment covers (its last line may be the file's last, unterminated one). */
  readonly lineCount: number;
  /** File position of an offset within `text`. */
  toPosition(offset: number): Position;
  /** File range of the segment offsets `[start, end)`. */
  toRange(start: number, end: number): Range;
  /** Offset within `text` of a file position; undefined when the line is outside the segment. */
  toOffset(pos: Position): number | undefined;
}

/** A parsed file: its documents in order. */
export interface ParsedFile {
  file: string;
  docs: YamlDoc[];
  /** Number of lines in the file as the editor counts them (line breaks + 1). */
  lineCount: number;
}

class SegmentDoc implements YamlDoc {
  readonly doc: Document.Parsed | undefined;
  // Range and problems are converted on first use: after an edit that adds a line, every later document
  // gets a new SegmentDoc, and most of them are never asked.
  private rangeMemo: Range | undefined;
  private problemsMemo: YamlProblem[] | undefined;

  constructor(
    readonly index: number,
    private readonly segment: ParsedSegment,
    private readonly part: SegmentDocument,
    readonly startLine: number,
  ) {
    this.doc = part.doc;
  }

  get range(): Range {
    return (this.rangeMemo ??= this.toRange(this.part.start, this.part.end));
  }

  get problems(): YamlProblem[] {
    return (this.problemsMemo ??= this.part.problems.map((p) => {
      const problem: YamlProblem = { message: p.message, range: this.toRange(p.start, p.end), kind: p.kind };
      if (p.code !== undefined) problem.code = p.code;
      return problem;
    }));
  }

  get text(): string {
    return this.segment.text;
  }

  get lineCount(): number {
    const { text, lineStarts } = this.segment;
    // A segment ending in a line break does not own the empty line after it: the next segment does.
    return lineStarts[lineStarts.length - 1] === text.length && text.length > 0 ? lineStarts.length - 1 : lineStarts.length;
  }

  toPosition(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.segment.text.length));
    return positionAt(this.segment.lineStarts, this.startLine, o);
  }

  toRange(start: number, end: number): Range {
    return { start: this.toPosition(start), end: this.toPosition(end) };
  }

  toOffset(pos: Position): number | undefined {
    const { text, lineStarts } = this.segment;
    const line = pos.line - this.startLine;
    if (line < 0 || line >= lineStarts.length) return undefined;
    const start = lineStarts[line] as number;
    return Math.min(start + Math.max(0, pos.character), lineContentEnd(text, lineStarts, line));
  }
}

/**
 * Where an edit happened, in UTF-16 offsets: `[start, oldEnd)` of the previous text became `[start, newEnd)`.
 * The language server knows it from the LSP change; with it, only the segments around the edit are split and
 * compared again, instead of the whole file.
 */
export interface EditHint {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * Parses every document of a file. Never throws: syntax errors and limits become `problems` of the
 * document they are in, and the other documents are unaffected. With a `cache`, documents whose text is
 * unchanged are not parsed again: their `doc` objects (and, when their index and first line are also
 * unchanged, their `YamlDoc` objects) are the ones returned before. With a `hint` (and the file's previous
 * parse in the cache), the text outside the edited segments is taken as unchanged without looking at it.
 */
export function parseYamlFile(file: string, text: string, cache?: DocumentCache, hint?: EditHint): ParsedFile {
  const prev = cache?.memo(file);
  const region = prev && hint ? editedRegion(prev, text, hint) : undefined;
  const spans: Span[] = region ? spliceSpans(prev!, text, region) : splitDocuments(text);
  // Documents after an edit sit at the same distance from the end: try that alignment as well.
  const shift = prev ? prev.segments.length - spans.length : 0;
  const memo: FileMemo = { segments: [], startLines: [], docs: [], starts: [], length: text.length };
  const docs: YamlDoc[] = [];
  let line = 0;
  for (let j = 0; j < spans.length; j++) {
    const { start, end, k: known } = spans[j]!;
    let k = known ?? -1;
    let raw: string | undefined;
    if (k < 0) {
      raw = text.slice(start, end);
      k = prev ? sameAt(prev, j, raw) : -1;
      if (k < 0 && prev && shift !== 0) k = sameAt(prev, j + shift, raw);
    }
    // A segment found by position is not re-marked as recently used in the cache (three Map operations
    // per document, 1 ms on 5,000): while the file is being edited its memo keeps finding it anyway.
    const segment = k >= 0 ? prev!.segments[k]! : cache ? cache.segment(raw!) : parseSegment(raw!);
    let built = k >= 0 && prev!.startLines[k] === line ? prev!.docs[k]! : undefined;
    if (!built || (built.length > 0 && built[0]!.index !== docs.length)) {
      built = segment.docs.map((part, i) => new SegmentDoc(docs.length + i, segment, part, line));
    }
    for (const d of built) docs.push(d);
    memo.segments.push(segment);
    memo.startLines.push(line);
    memo.docs.push(built);
    memo.starts.push(start);
    // Segments start at line beginnings, so the next one starts as many lines later as this one has breaks.
    line += segment.lineStarts.length - 1;
  }
  cache?.remember(file, memo);
  return { file, docs, lineCount: line + 1 };
}

interface Span {
  start: number;
  end: number;
  /** Index of the previous parse's segment known to have this exact text (outside an edit). */
  k?: number;
}

/** The previous segments `[first, last]` an edit touched, widened by one on each side. */
function editedRegion(prev: FileMemo, text: string, hint: EditHint): { first: number; last: number } | undefined {
  const n = prev.starts.length;
  if (n === 0 || hint.start < 0 || hint.oldEnd < hint.start || hint.oldEnd > prev.length) return undefined;
  if (text.length - prev.length !== hint.newEnd - hint.oldEnd) return undefined;
  // The last segment starting at or before the edit, and the last one starting before its end.
  const first = Math.max(0, lastStartAtOrBefore(prev.starts, hint.start) - 1);
  const last = Math.min(n - 1, lastStartAtOrBefore(prev.starts, Math.max(hint.start, hint.oldEnd - 1)) + 1);
  return { first, last };
}

function lastStartAtOrBefore(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Spans of the new text: previous ones before and after the region, the region split afresh. */
function spliceSpans(prev: FileMemo, text: string, region: { first: number; last: number }): Span[] {
  const delta = text.length - prev.length;
  const endOf = (k: number) => (k + 1 < prev.starts.length ? prev.starts[k + 1]! : prev.length);
  const spans: Span[] = [];
  for (let k = 0; k < region.first; k++) spans.push({ start: prev.starts[k]!, end: endOf(k), k });
  const from = prev.starts[region.first]!;
  const to = endOf(region.last) + delta;
  // A region that starts the file is split with the file's own start (a BOM, a preamble); any other region
  // starts where a previous segment started, a position the splitter treats as a fresh start too.
  for (const s of splitDocuments(text.slice(from, to))) spans.push({ start: from + s.start, end: from + s.end });
  for (let k = region.last + 1; k < prev.starts.length; k++) spans.push({ start: prev.starts[k]! + delta, end: endOf(k) + delta, k });
  return spans;
}

/** `k` when the previous parse's segment `k` has exactly the text `raw`, else -1. */
function sameAt(prev: FileMemo, k: number, raw: string): number {
  const seg = prev.segments[k];
  // Comparing two strings is a memcmp; looking `raw` up in the cache would hash it first.
  return seg !== undefined && seg.text.length === raw.length && seg.text === raw ? k : -1;
}

/**
 * The document whose segment holds `pos`. Segments tile the file: the lines after a document up to the
 * next `---` are its own, except after a `...` end marker, where they lead into the next document (as a
 * file's header comments lead into the first). Undefined past the last document or in an empty file.
 */
export function docAtPosition(f: ParsedFile, pos: Position): YamlDoc | undefined {
  const docs = f.docs;
  let lo = 0;
  let hi = docs.length - 1;
  if (hi < 0 || pos.line < docs[0]!.startLine) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (docs[mid]!.startLine <= pos.line) lo = mid;
    else hi = mid - 1;
  }
  let d = docs[lo]!;
  const end = d.startLine + d.lineCount;
  // The empty line after the file's final line break belongs to the last document, if it ends the file.
  const ownsLastLine = lo === docs.length - 1 && pos.line === end && end === f.lineCount - 1;
  if (pos.line >= end && !ownsLastLine) return undefined;
  // Several documents in one segment (rare: yaml split where the text scan did not) share line spans.
  while (lo > 0 && docs[lo - 1]!.startLine === d.startLine && before(pos, d.range.start)) d = docs[--lo]!;
  return d;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
