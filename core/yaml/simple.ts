/**
 * A fast composer for the plain block YAML that Kubernetes manifests are almost always written in: block maps
 * and sequences, one-line plain and quoted scalars, one-line flow collections of scalars, comments. It builds
 * the very node classes yaml's composer builds (Document, YAMLMap, YAMLSeq, Pair, Scalar), with the same values,
 * types and ranges, so everything downstream reads them unchanged; plain scalars are resolved by yaml's own
 * core-schema tags. Anything outside that subset (anchors, aliases, tags, block scalars, multi-line scalars,
 * explicit keys, directives, tabs, CR line breaks, odd comment placement, anything yaml would report) makes it
 * decline, and the caller composes the document with yaml (segment.ts). Ten times faster than yaml on
 * manifests, because it skips the lexer's token strings, the CST and the composer's generality.
 *
 * Not kept: comments and blank-line markers (`comment`, `commentBefore`, `spaceBefore`); nothing in core reads
 * them. test/unit/yamlSimple.test.ts compares every document it accepts with yaml's own composition.
 *
 * The nodes are instances of yaml's classes (`instanceof`, their methods, `isMap`/`isScalar`, `toJSON`, `clone`,
 * `stringify` all work) but are not built by their constructors: those set the node type with
 * `Object.defineProperty` per node (a runtime call, and most of the composition's cost). Here the type (and a
 * collection's schema) sits on a prototype between the node and yaml's class prototype (nodes.ts).
 */
import { isScalar } from 'yaml';
import type { Document, ParsedNode, Scalar, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';
import { MAX_NESTING } from './limits.js';
import { fastDocument, fastKeyPair, fastMap, fastPair, fastScalar, fastSeq, fastString, rangeAt, template } from './nodes.js';

export { composeOptions } from './nodes.js';

const schema = template.schema;
const tagOptions = template.options;
/** Core-schema tags that claim plain scalars by a test (null, bool, int, float), in yaml's order. */
const plainTags = schema.tags.filter((t): t is ScalarTag => !('collection' in t && t.collection) && t.default === true && t.test !== undefined);

/**
 * Recent map keys, by a hash of their length and end characters: a key read again (`metadata`, `name`, `storage`:
 * manifests repeat a small vocabulary) is the string read before, compared in place, not a new slice. The bench
 * bundle's 118,000 string keys are then a few hundred strings: fewer objects for GC to copy, and no slice made.
 */
const recentKeys: string[] = new Array<string>(1024).fill('');
/** The same for block values (`ReadWriteOnce`, `v1`, class names, `10Gi`), up to 40 characters. */
const recentValues: string[] = new Array<string>(1024).fill('');

/** `text.slice(at, end)`, or the same string from `table` when it was read recently. */
function recent(table: string[], text: string, at: number, end: number): string {
  const len = end - at;
  if (len > 40 && table === recentValues) return text.slice(at, end);
  const h = (len * 61 + text.charCodeAt(at) * 31 + text.charCodeAt(end - 1) * 7 + text.charCodeAt(at + (len >> 1))) & 1023;
  const k = table[h]!;
  if (k.length === len && text.startsWith(k, at)) return k;
  // A copy rather than a slice of the segment: the table outlives the segments it reads.
  return (table[h] = len < 13 ? text.slice(at, end) : flat(text.slice(at, end)));
}

/** A string of its own (V8 keeps longer slices as views of the text they were cut from). */
function flat(s: string): string {
  return (' ' + s).slice(1);
}

/** Thrown (never escapes this module) when the text is outside the subset. */
const decline: unique symbol = Symbol('decline');

const SPACE = 32;
const NL = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/** Line kinds. */
const BLANK = 0;
const COMMENT = 1;
const CONTENT = 2;

/**
 * The line tables of the document being composed, and a stack of collection items under construction (each
 * collection's items are copied off it at their exact length when it is done): shared by every call, which is
 * synchronous and not re-entrant, so that a document allocates no tables and no arrays that grow.
 */
const lineTables = { starts: [] as number[], ends: [] as number[], indents: [] as number[], kinds: [] as number[] };
const scratch: unknown[] = [];
let top = 0;

/** A document of the subset, or undefined. `text` is a segment as split.ts cuts it (one document). */
export function composeSimple(text: string): Document.Parsed | undefined {
  top = 0;
  try {
    return new Composer(text).document();
  } catch (e) {
    if (e === decline) return undefined;
    throw e;
  }
}

/** The items pushed since `mark`, as an array of their own; pops them. */
function items(mark: number): unknown[] {
  const out = scratch.slice(mark, top);
  top = mark;
  return out;
}

function tooComplex(): never {
  throw decline;
}

class Composer {
  /** Per line: start offset, end offset (its `\n` or the text's end), indent, kind. */
  private readonly starts = lineTables.starts;
  private readonly ends = lineTables.ends;
  private readonly indents = lineTables.indents;
  private readonly kinds = lineTables.kinds;
  /** Number of lines (the tables are shared and longer). */
  private readonly n: number;
  /** The line after the node just composed. */
  private line = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    this.n = scanLines(text, this.starts, this.ends, this.indents, this.kinds);
  }

  document(): Document.Parsed {
    const { text, kinds, starts, ends, n } = this;
    let i = 0;
    let docStart = -1;
    let marker = false;
    for (; i < n && kinds[i] !== CONTENT; i++);
    if (i < n && this.isMarker(i)) {
      marker = true;
      docStart = starts[i]!;
      const rest = skipSpaces(text, starts[i]! + 3, ends[i]!);
      if (rest !== ends[i]) tooComplex();
      for (i++; i < n && kinds[i] !== CONTENT; i++);
    }
    if (i >= n || this.indents[i] !== 0) tooComplex();
    if (!marker) docStart = starts[i]!;
    const contents = this.block(i, starts[i]!);
    const after = this.line;
    // Whatever follows the content must be blank or comments at the left margin.
    for (let j = after; j < n; j++) {
      if (kinds[j] === CONTENT || (kinds[j] === COMMENT && this.indents[j] !== 0)) tooComplex();
    }
    const contentEnd = rangeAt(contents, 2);
    const trailing = after < n && starts[after]! < text.length;
    return fastDocument(contents, [docStart, contentEnd, trailing ? text.length : contentEnd], marker);
  }

  private isMarker(i: number): boolean {
    const { text } = this;
    const s = this.starts[i]!;
    return this.indents[i] === 0 && text.charCodeAt(s) === DASH && text.charCodeAt(s + 1) === DASH && text.charCodeAt(s + 2) === DASH;
  }

  private isDash(i: number, at: number): boolean {
    const c = this.text.charCodeAt(at + 1);
    return this.text.charCodeAt(at) === DASH && (at + 1 === this.ends[i] || c === SPACE);
  }

  /** The block node (map or sequence) whose first entry is at offset `at` of line `i`. */
  private block(i: number, at: number): ParsedNode {
    if (++this.depth > MAX_NESTING) tooComplex();
    const node = this.isDash(i, at) ? this.seq(i, at) : this.map(i, at);
    this.depth--;
    return node;
  }

  /**
   * The next content line at or after `from` (or the line count): comment lines on the way must not sit to the
   * right of it, where yaml attaches them to the collection before (changing its range) rather than the next.
   */
  private nextContent(from: number): number {
    const { kinds, indents } = this;
    let j = from;
    for (; j < this.n && kinds[j] !== CONTENT; j++);
    if (j < this.n) {
      for (let k = from; k < j; k++) if (kinds[k] === COMMENT && indents[k]! > indents[j]!) tooComplex();
    }
    return j;
  }

  private map(i: number, at: number): YAMLMap.Parsed {
    const mark = top;
    const col = at - this.starts[i]!;
    const first = at;
    let end = at;
    for (;;) {
      const colon = this.keyEnd(i, at);
      const source = recent(recentKeys, this.text, at, colon);
      // A key that reads as a string (nearly all) is kept as its text until asked for (nodes.ts FastKeyPair).
      const typed = typedPlain(source, at, colon, colon);
      const value = this.value(i, colon + 1, col, true);
      scratch[top++] = typed ? fastPair(typed, value) : fastKeyPair(source, at, value);
      end = rangeAt(value, 2);
      const next = this.nextContent(this.line);
      if (next >= this.n || this.indents[next]! < col) break;
      if (this.indents[next]! > col) tooComplex();
      i = next;
      at = this.starts[i]! + col;
      if (this.isDash(i, at)) tooComplex();
    }
    return fastMap(items(mark), first, end, end, false);
  }

  private seq(i: number, at: number): YAMLSeq.Parsed {
    const mark = top;
    const col = at - this.starts[i]!;
    const first = at;
    let end = at;
    for (;;) {
      const value = this.value(i, at + 1, col, false);
      scratch[top++] = value;
      end = rangeAt(value, 2);
      const next = this.nextContent(this.line);
      if (next >= this.n || this.indents[next]! < col) break;
      if (this.indents[next]! > col) tooComplex();
      at = this.starts[next]! + col;
      // A key at the sequence's column ends it: the map holding the sequence goes on (`key:\n- a\nnext: b`).
      // yaml keeps a comment line on the way in the sequence (its range) unless it is to the left of it.
      if (!this.isDash(next, at)) {
        for (let k = this.line; k < next; k++) if (this.kinds[k] === COMMENT && this.indents[k]! >= col) tooComplex();
        break;
      }
      i = next;
    }
    return fastSeq(items(mark), first, end, end, false);
  }

  /**
   * Where yaml ends the range of an empty map value on line `i` (the map at column `col`, its next content on
   * line `next`): the lines up to the next content are the value's own (not the document's trailing lines),
   * and when a comment is among them its range runs over them. When the map goes on at `next`, yaml's parser
   * (Parser.blockMap, yaml 2.9.1) hands the lines from the second line break on to the next entry, a comment to
   * the right of the map starting the count afresh.
   */
  private emptyValueEnd(i: number, next: number, col: number): number {
    const { kinds, indents } = this;
    let upTo = next;
    let end = next < this.n ? this.starts[next]! + indents[next]! : this.text.length;
    if (next < this.n && indents[next] === col) {
      let breaks = [i];
      for (let k = i + 1; k < next; k++) {
        if (kinds[k] === COMMENT && indents[k]! > col) breaks = [];
        breaks.push(k);
      }
      if (breaks.length >= 2) {
        upTo = breaks[1]! + 1;
        end = this.ends[breaks[1]!]!;
      }
    }
    for (let k = i + 1; k < upTo; k++) if (kinds[k] === COMMENT) return end;
    return this.ends[i]!;
  }

  /** The end (its `:`) of the plain implicit key at `at` (the `:` must be followed by a space or the line's end). */
  private keyEnd(i: number, at: number): number {
    const { text } = this;
    const e = this.ends[i]!;
    if (!plainStart(text, at, e, false)) tooComplex();
    let colon = -1;
    for (let p = at + 1; p < e; p++) {
      const c = text.charCodeAt(p);
      if (c === COLON) {
        const next = p + 1 === e ? SPACE : text.charCodeAt(p + 1);
        if (next === SPACE) {
          colon = p;
          break;
        }
      } else if (c === HASH && text.charCodeAt(p - 1) === SPACE) tooComplex();
    }
    // `key :` (a space before the colon) and keys over yaml's 1024-character limit are left to yaml.
    if (colon < 0 || text.charCodeAt(colon - 1) === SPACE || colon - at > 1024) tooComplex();
    return colon;
  }

  /**
   * The value after a map's `:` or a sequence's `-` at `from` on line `i` (`col` is the map's or sequence's
   * column). Sets `this.line` to the line after it.
   */
  private value(i: number, from: number, col: number, inMap: boolean): ParsedNode {
    const { text } = this;
    const e = this.ends[i]!;
    const p = skipSpaces(text, from, e);
    const c = p < e ? text.charCodeAt(p) : NL;
    if (c === NL || c === HASH) {
      // Nothing more on the line: a nested block on the next lines, or an empty (null) value.
      const { kinds, indents } = this;
      let next = i + 1;
      for (; next < this.n && kinds[next] !== CONTENT; next++);
      if (next < this.n) {
        const indent = indents[next]!;
        const at = this.starts[next]! + indent;
        if (indent > col) return this.block(next, at);
        if (inMap && indent === col && this.isDash(next, at)) return this.block(next, at);
      }
      // An empty value on a line of its own; an inline comment after it moves yaml's ranges: left to yaml.
      if (c === HASH || !inMap) tooComplex();
      this.line = next;
      return plainScalar('', e, e, this.emptyValueEnd(i, next, col));
    }
    this.line = i + 1;
    const lineEnd = e < text.length ? e + 1 : e;
    if (c === DQUOTE || c === SQUOTE) return this.quoted(p, e, lineEnd);
    if (c === 91 /* [ */ || c === 123 /* { */) return this.flow(p, e, lineEnd);
    if (!plainStart(text, p, e, false)) tooComplex();
    // A plain scalar up to a comment or the line's end; `key: ` inside it is a compact map (`- name: x`).
    let end = e;
    for (let q = p + 1; q < e; q++) {
      const ch = text.charCodeAt(q);
      if (ch === HASH && text.charCodeAt(q - 1) === SPACE) {
        end = q;
        break;
      }
      if (ch === COLON && (q + 1 === e || text.charCodeAt(q + 1) === SPACE)) {
        if (inMap) tooComplex();
        this.line = i;
        return this.block(i, p);
      }
    }
    end = trimSpaces(text, p, end);
    return plainScalar(recent(recentValues, text, p, end), p, end, lineEnd);
  }

  /** A one-line quoted scalar without escapes, then only spaces or a comment. */
  private quoted(p: number, e: number, lineEnd: number): Scalar.Parsed {
    const { text } = this;
    const q = text.charCodeAt(p);
    const close = text.indexOf(q === DQUOTE ? '"' : "'", p + 1);
    if (close < 0 || close >= e) tooComplex();
    const inner = text.slice(p + 1, close);
    if ((q === DQUOTE && inner.includes('\\')) || (q === SQUOTE && text.charCodeAt(close + 1) === SQUOTE)) tooComplex();
    this.restOfLine(close + 1, e);
    return fastScalar(inner, p, close + 1, lineEnd, inner, q === DQUOTE ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE');
  }

  /** After a value: spaces, then a comment (after at least one space) or nothing. */
  private restOfLine(from: number, e: number): void {
    const r = skipSpaces(this.text, from, e);
    if (r < e && (this.text.charCodeAt(r) !== HASH || r === from)) tooComplex();
  }

  /** A one-line flow sequence or map of plain or quoted scalars: `[a, b]`, `{k: v}`, `[]`, `{}`. */
  private flow(p: number, e: number, lineEnd: number): YAMLMap.Parsed | YAMLSeq.Parsed {
    const { text } = this;
    const isMap = text.charCodeAt(p) === 123;
    const closer = isMap ? 125 : 93;
    const mark = top;
    let q = skipSpaces(text, p + 1, e);
    if (text.charCodeAt(q) !== closer) {
      for (;;) {
        if (isMap) {
          const key = this.flowScalar(q, e, true);
          q = rangeAt(key, 2);
          if (text.charCodeAt(q) !== COLON || text.charCodeAt(q + 1) !== SPACE || q !== rangeAt(key, 1)) tooComplex();
          const value = this.flowScalar(skipSpaces(text, q + 1, e), e, false);
          scratch[top++] = fastPair(key, value);
          q = rangeAt(value, 2);
        } else {
          const item = this.flowScalar(q, e, false);
          scratch[top++] = item;
          q = rangeAt(item, 2);
        }
        const c = q < e ? text.charCodeAt(q) : NL;
        if (c === closer) break;
        if (c !== 44 /* , */) tooComplex();
        q = skipSpaces(text, q + 1, e);
        if (q >= e || text.charCodeAt(q) === closer) tooComplex();
      }
    }
    this.restOfLine(q + 1, e);
    return isMap ? fastMap(items(mark), p, q + 1, lineEnd, true) : fastSeq(items(mark), p, q + 1, lineEnd, true);
  }

  /**
   * A scalar inside a flow collection; its range ends (third element) where the next `,`, `]`, `}` or (for a
   * key) `:` is, after any spaces.
   */
  private flowScalar(p: number, e: number, atKey: boolean): Scalar.Parsed {
    const { text } = this;
    const c = p < e ? text.charCodeAt(p) : NL;
    if (c === DQUOTE || c === SQUOTE) {
      const close = text.indexOf(c === DQUOTE ? '"' : "'", p + 1);
      if (close < 0 || close >= e) tooComplex();
      const inner = text.slice(p + 1, close);
      if ((c === DQUOTE && inner.includes('\\')) || (c === SQUOTE && text.charCodeAt(close + 1) === SQUOTE)) tooComplex();
      const after = skipSpaces(text, close + 1, e);
      return fastScalar(inner, p, close + 1, after, inner, c === DQUOTE ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE');
    }
    if (!plainStart(text, p, e, true)) tooComplex();
    let q = p + 1;
    for (; q < e; q++) {
      const ch = text.charCodeAt(q);
      if (ch === 44 || ch === 93 || ch === 125) break;
      if (ch === 91 || ch === 123 || ch === HASH || ch === DQUOTE || ch === SQUOTE) tooComplex();
      if (ch === COLON) {
        if (!atKey) tooComplex();
        break;
      }
    }
    const end = trimSpaces(text, p, q);
    if (atKey && q !== end) tooComplex();
    return plainScalar(text.slice(p, end), p, end, q);
  }
}

/**
 * Characters yaml treats specially or rejects, anywhere: tabs, CR, other controls, surrogates (checked one by
 * one: a valid pair is fine), a BOM, non-characters.
 */
const unusual = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]/;

/** Fills the line tables; declines on what the subset leaves to yaml anywhere in the text. */
function scanLines(text: string, starts: number[], ends: number[], indents: number[], kinds: number[]): number {
  if (unusual.test(text) && !onlySurrogatePairs(text)) tooComplex();
  const n = text.length;
  let count = 0;
  let s = 0;
  while (s < n) {
    let e = text.indexOf('\n', s);
    if (e < 0) e = n;
    let p = s;
    while (p < e && text.charCodeAt(p) === SPACE) p++;
    const c = p < e ? text.charCodeAt(p) : NL;
    starts[count] = s;
    ends[count] = e;
    indents[count] = p - s;
    kinds[count++] = c === NL ? BLANK : c === HASH ? COMMENT : CONTENT;
    if (c === 37 /* % */ || (p === s && isDocEnd(text, s, e))) tooComplex();
    s = e + 1;
  }
  return count;
}

/** True when the only unusual characters of `text` are well-formed surrogate pairs. */
function onlySurrogatePairs(text: string): boolean {
  for (let q = 0; q < text.length; q++) {
    const c = text.charCodeAt(q);
    if (c >= 0xd800 && c < 0xdc00) {
      const d = text.charCodeAt(q + 1);
      if (!(d >= 0xdc00 && d < 0xe000)) return false;
      q++;
    } else if (c < SPACE ? c !== NL : (c >= 0x7f && c <= 0x9f) || (c >= 0xdc00 && c < 0xe000) || c === 0xfeff || c >= 0xfffe) return false;
  }
  return true;
}

/** `...` at a line start: a document end marker. */
function isDocEnd(text: string, s: number, e: number): boolean {
  return text.startsWith('...', s) && (s + 3 === e || text.charCodeAt(s + 3) === SPACE);
}

function skipSpaces(text: string, p: number, e: number): number {
  while (p < e && text.charCodeAt(p) === SPACE) p++;
  return p;
}

function trimSpaces(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
  return end;
}

/**
 * Whether a plain scalar may start at `p`: not an indicator (`-?:` only before a non-space, outside flow
 * collections never `,[]{}`), not a quote or a comment.
 */
function plainStart(text: string, p: number, e: number, inFlow: boolean): boolean {
  if (p >= e) return false;
  const c = text.charCodeAt(p);
  switch (c) {
    case DASH:
      return p + 1 < e && text.charCodeAt(p + 1) !== SPACE && !(inFlow && ',[]{}'.includes(text[p + 1]!));
    case 63: // ?
    case COLON:
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case HASH:
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case SQUOTE:
    case DQUOTE:
    case 37: // %
    case 64: // @
    case 96: // `
    case BACKSLASH:
      return false;
    default:
      return true;
  }
}

/** First characters of plain scalars the core schema may read as something other than a string. */
function maybeTyped(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 43 || c === DASH || c === 46 || c === 126 || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70;
}

/** A plain scalar resolved as yaml resolves it (core schema): null, bool, int, float or string. */
function plainScalar(source: string, start: number, end: number, rangeEnd: number): Scalar.Parsed {
  return typedPlain(source, start, end, rangeEnd) ?? fastString(source, start, end, rangeEnd);
}

/** The plain scalar `source` when the core schema reads it as null, a bool, an int or a float; else undefined (a string). */
function typedPlain(source: string, start: number, end: number, rangeEnd: number): Scalar.Parsed | undefined {
  if (source.length === 0 || maybeTyped(source.charCodeAt(0))) {
    for (const tag of plainTags) {
      if (!tag.test!.test(source)) continue;
      let failed = false;
      const res = tag.resolve(source, () => (failed = true), tagOptions);
      if (failed) tooComplex();
      if (!isScalar(res)) return fastScalar(res, start, end, rangeEnd, source, 'PLAIN', tag.format);
      // A tag that builds its own Scalar (a float keeping its fraction digits): finished as yaml does.
      const scalar = res as Scalar.Parsed;
      scalar.range = [start, end, rangeEnd];
      scalar.source = source;
      scalar.type = 'PLAIN';
      if (tag.format) scalar.format = tag.format;
      return scalar;
    }
  }
  return undefined;
}
