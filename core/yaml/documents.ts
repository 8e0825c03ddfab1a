/**
 * A YAML file as a list of documents with exact file ranges (and, re-exported, the helpers that read
 * values and build edits). The file is split textually into document segments, each parsed on its own
 * (and cached by its text), so an edit re-parses one document and a syntax error stays inside the
 * document that has it.
 */
import type { Document } from 'yaml';
import type { Position, Range } from '../types.js';
import type { DocumentCache } from './cache.js';
import { YamlFile } from './file.js';
import { FixedDoc } from './views.js';

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
  sequenceNodes,
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
 * unchanged are not parsed again (their `doc` objects are the ones returned before), and the file's last parse
 * is remembered: with a `hint`, only the segments around the edit are split and compared again.
 */
export function parseYamlFile(file: string, text: string, cache?: DocumentCache, hint?: EditHint): ParsedFile {
  let yaml = cache?.memo(file);
  if (!yaml) yaml = new YamlFile(text, cache);
  else if (!hint || !yaml.applyHint(text, hint)) yaml.setText(text);
  cache?.remember(file, yaml);
  const docs: YamlDoc[] = [];
  let line = 0;
  for (const s of yaml.segments()) {
    const parsed = s.parsed;
    for (const part of parsed.docs) docs.push(new FixedDoc(parsed, part, docs.length, line));
    line += s.lines;
  }
  return { file, docs, lineCount: line + 1 };
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
