/**
 * Parsing one document segment with yaml, bounded against hostile input. Everything here is in segment
 * offsets; `documents.ts` maps them to file positions.
 */
import { CST, Composer, Parser, isCollection, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Pair, Scalar, YAMLMap } from 'yaml';
import { MAX_NESTING, MAX_PROBLEMS } from './limits.js';
import { lineStartsOf, trimEnd } from './lines.js';
import { keyString } from './nodes.js';
import { composeOptions, composeSimple } from './simple.js';

export { MAX_NESTING, MAX_PROBLEMS } from './limits.js';

/** A problem in segment offsets (converted to file ranges by `YamlDoc.problems`). */
export interface LocalProblem {
  message: string;
  start: number;
  end: number;
  kind: 'syntax' | 'limit';
  code?: string;
}

/** One document of a segment (almost always the only one). */
export interface SegmentDocument {
  doc: Document.Parsed | undefined;
  problems: LocalProblem[];
  /** Document span within the segment: from its `---` (or content) to its last non-blank character. */
  start: number;
  end: number;
}

/** A parsed segment: shared through the cache by every file (and position) with the same text. Read-only. */
export interface ParsedSegment {
  text: string;
  lineStarts: number[];
  docs: SegmentDocument[];
}

// composeOptions turn uniqueKeys off because yaml's check compares each key with every earlier one (quadratic:
// 40,000 keys take seconds); `duplicateKeys` below does the same check in linear time.

/**
 * Offset of the first collection in a CST document nested deeper than `limit`, or -1. Iterative: the CST
 * may be 100,000 levels deep (yaml's lexer and parser keep explicit stacks; only its composer recurses).
 */
function tooDeepAt(root: CST.Document, limit: number): number {
  const tokens: CST.Token[] = [];
  const depths: number[] = [];
  if (root.value && CST.isCollection(root.value)) {
    tokens.push(root.value);
    depths.push(1);
  }
  while (tokens.length > 0) {
    const t = tokens.pop() as CST.BlockMap | CST.BlockSequence | CST.FlowCollection;
    const depth = depths.pop() as number;
    if (depth > limit) return t.offset;
    for (const item of t.items) {
      if (item.key && CST.isCollection(item.key)) {
        tokens.push(item.key);
        depths.push(depth + 1);
      }
      if (item.value && CST.isCollection(item.value)) {
        tokens.push(item.value);
        depths.push(depth + 1);
      }
    }
  }
  return -1;
}

/** Reports repeated scalar keys as yaml's `uniqueKeys` would (same `===` on values), in linear time. */
function duplicateKeys(root: unknown, add: (p: LocalProblem) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      if (node.items.length > 1) checkMap(node, add);
      for (const pair of node.items) {
        // A string key (nodes.ts keeps most as text) is no collection.
        if (keyString(pair) === undefined && isCollection(pair.key)) stack.push(pair.key);
        if (isCollection(pair.value)) stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (isCollection(item)) stack.push(item);
    }
  }
}

/** Maps up to this many entries are checked pair by pair: cheaper than a Set for the few keys most maps have. */
const SMALL_MAP = 12;

function checkMap(map: YAMLMap, add: (p: LocalProblem) => void): void {
  const items = map.items;
  if (items.length <= SMALL_MAP) {
    // The same verdicts as the Set below: a key repeats when an earlier scalar key has the same value (SameValueZero).
    for (let i = 1; i < items.length; i++) {
      const v = scalarKeyValue(items[i]!);
      if (v === NOT_SCALAR) continue;
      for (let j = 0; j < i; j++) {
        const earlier = scalarKeyValue(items[j]!);
        if (earlier !== NOT_SCALAR && (earlier === v || (v !== v && earlier !== earlier))) {
          const [start, end] = (items[i]!.key as Scalar).range ?? [0, 0];
          add({ message: 'Map keys must be unique', start, end, kind: 'syntax', code: 'DUPLICATE_KEY' });
          break;
        }
      }
    }
    return;
  }
  const seen = new Set<unknown>();
  for (const pair of map.items) {
    const v = scalarKeyValue(pair);
    if (v === NOT_SCALAR) continue;
    if (seen.has(v)) {
      const [start, end] = (pair.key as Scalar).range ?? [0, 0];
      add({ message: 'Map keys must be unique', start, end, kind: 'syntax', code: 'DUPLICATE_KEY' });
    } else seen.add(v);
  }
}

const NOT_SCALAR: unique symbol = Symbol('not a scalar key');

/** The value of a pair's key when it is a scalar (a string key read without making its node, nodes.ts). */
function scalarKeyValue(pair: Pair): unknown {
  const s = keyString(pair);
  if (s !== undefined) return s;
  const key = pair.key;
  return isScalar(key) ? key.value : NOT_SCALAR;
}

/** Collects a document's problems, keeping at most MAX_PROBLEMS and saying how many were left out. */
function problemsOf(doc: Document.Parsed, text: string): LocalProblem[] {
  const out: LocalProblem[] = [];
  let dropped = 0;
  const add = (p: LocalProblem): void => {
    if (out.length < MAX_PROBLEMS) out.push(p);
    else dropped++;
  };
  const errors = doc.errors;
  const n = Math.min(errors.length, MAX_PROBLEMS);
  // Errors at the end of input ("missing ]") point past the segment's trailing line break, which is the
  // next document's first line in the file: keep them on this document's last character instead.
  const last = trimEnd(text, 0, text.length);
  for (let i = 0; i < n; i++) {
    const e = errors[i]!;
    const start = Math.min(e.pos[0], last);
    const end = Math.max(start, Math.min(e.pos[1], last));
    const kind = e.code === 'RESOURCE_EXHAUSTION' ? 'limit' : 'syntax';
    add({ message: e.message, start, end, kind, code: e.code });
  }
  dropped += errors.length - n;
  duplicateKeys(doc.contents, add);
  out.sort((a, b) => a.start - b.start);
  if (dropped > 0) {
    const at = doc.range[0];
    out.push({ message: `${dropped} more problems in this document not shown`, start: at, end: at, kind: 'limit' });
  }
  return out;
}

function documentEnd(text: string, start: number, end: number): number {
  return trimEnd(text, start, Math.min(end, text.length));
}

/** Where a CST document visibly starts: its `---`, else its content, else its first token. */
function cstDocumentStart(t: CST.Document): number {
  return t.start.find((s) => s.type === 'doc-start')?.offset ?? t.value?.offset ?? t.offset;
}

/** Sets V8's `Error.stackTraceLimit` where there is one and it may be changed (not frozen). */
function setStackTraceLimit(limit: number): void {
  const E = Error as { stackTraceLimit?: number };
  if (typeof E.stackTraceLimit !== 'number') return;
  try {
    E.stackTraceLimit = limit;
  } catch {
    // Frozen intrinsics: the parse is only slower on junk.
  }
}

/**
 * Parses a segment's text. Never throws: a failure becomes a document without `doc` and with a problem.
 * Stack traces are switched off while yaml runs because it builds an Error per problem, and capturing
 * a trace for each of half a million junk-line errors doubles the parse time; restored before returning.
 */
export function parseSegment(text: string): ParsedSegment {
  const lineStarts = lineStartsOf(text);
  const savedLimit = (Error as { stackTraceLimit?: number }).stackTraceLimit ?? 10;
  setStackTraceLimit(0);
  try {
    return { text, lineStarts, docs: composeSegment(text) };
  } catch (e) {
    // yaml guards its own recursion; anything reaching here is a bug in it or a resource limit.
    const reason = e instanceof RangeError ? 'input too large or nested too deep' : 'YAML parser failed';
    const message = `${reason}: ${e instanceof Error ? e.message : String(e)}`;
    const end = documentEnd(text, 0, text.length);
    return { text, lineStarts, docs: [{ doc: undefined, problems: [{ message, start: 0, end, kind: 'limit' }], start: 0, end }] };
  } finally {
    setStackTraceLimit(savedLimit);
  }
}

function composeSegment(text: string): SegmentDocument[] {
  // Plain block YAML (nearly every manifest) is composed by simple.ts, ten times faster; the rest by yaml.
  const simple = composeSimple(text);
  if (simple) return [segmentDocument(simple, text)];
  const tokens = Array.from(new Parser().parse(text));
  for (const t of tokens) {
    if (t.type !== 'document') continue;
    const at = tooDeepAt(t, MAX_NESTING);
    if (at < 0) continue;
    // Refuse before composing: yaml's composer would recurse this deep, and V8 aborts the whole process
    // (not a catchable RangeError) when a regular expression is compiled with the stack nearly full.
    const start = cstDocumentStart(t);
    const message = `nesting too deep: collections nested more than ${MAX_NESTING} levels`;
    const problem: LocalProblem = { message, start: at, end: Math.min(at + 1, text.length), kind: 'limit' };
    return [{ doc: undefined, problems: [problem], start, end: documentEnd(text, start, text.length) }];
  }
  const composer = new Composer(composeOptions);
  const docs: Document.Parsed[] = [];
  for (const t of tokens) for (const d of composer.next(t)) docs.push(d);
  // Errors without any document (a stray token in a comments-only segment) still need a home.
  const force = docs.length === 0 && composer.streamInfo().errors.length > 0;
  for (const d of composer.end(force, text.length)) docs.push(d);
  return docs.map((doc) => segmentDocument(doc, text));
}

function segmentDocument(doc: Document.Parsed, text: string): SegmentDocument {
  const start = Math.min(doc.range[0], text.length);
  return { doc, problems: problemsOf(doc, text), start, end: documentEnd(text, start, doc.range[2]) };
}
