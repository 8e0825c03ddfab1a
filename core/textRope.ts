/**
 * A text kept as a rope of chunks of whole lines (core/yaml/rope.ts), with the line arithmetic of
 * vscode-languageserver-textdocument 1.0.16 (`\r\n`, `\r` and `\n` end a line; offsets are clamped the same way).
 * An edit rebuilds only the chunks around it: on a 100,000-line text it costs what it does on a 10-line one,
 * where a flat string and a line table are copied and shifted on every keystroke.
 */
import type { Position, Range } from './types.js';
import { lineStartsOf } from './yaml/lines.js';
import { Rope, RopeItem } from './yaml/rope.js';

/** Characters per chunk, roughly: chunks are cut after a line break past this size. */
const CHUNK = 2048;

class Chunk extends RopeItem {
  readonly chars: number;
  readonly lines: number;
  readonly docs = 0;
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    super();
    this.chars = text.length;
    this.lineStarts = lineStartsOf(text);
    this.lines = this.lineStarts.length - 1;
  }
}

/** Cuts `text` into chunks that end after a line break (the last may not); a `\r\n` is never cut. */
function chunksOf(text: string): Chunk[] {
  const out: Chunk[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + CHUNK);
    // On to the end of the line: past its `\n`, its `\r\n` or its lone `\r`.
    while (end < text.length) {
      const c = text.charCodeAt(end - 1);
      if (c === 10 || (c === 13 && text.charCodeAt(end) !== 10)) break;
      end++;
    }
    out.push(new Chunk(text.slice(start, end)));
    start = end;
  }
  return out;
}

export class TextRope {
  private rope: Rope<Chunk>;
  private joined: string | undefined;

  constructor(text: string) {
    this.rope = new Rope(chunksOf(text));
    this.joined = text;
  }

  get length(): number {
    return this.rope.chars;
  }

  get lineCount(): number {
    return this.rope.lines + 1;
  }

  text(): string {
    return (this.joined ??= this.rope
      .items()
      .map((c) => c.text)
      .join(''));
  }

  slice(start: number, end: number): string {
    if (this.joined !== undefined) return this.joined.slice(start, end);
    const parts: string[] = [];
    for (let at = Math.max(0, start); at < Math.min(end, this.rope.chars); ) {
      const { item, place } = this.rope.find('chars', at)!;
      const local = at - place.offset;
      const take = Math.min(item.chars - local, end - at);
      parts.push(item.text.slice(local, local + take));
      at += take;
    }
    return parts.join('');
  }

  getText(range?: Range): string {
    return range ? this.slice(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text();
  }

  offsetAt(pos: Position): number {
    if (pos.line > this.rope.lines) return this.rope.chars;
    if (pos.line < 0 || this.rope.size === 0) return 0;
    const { item, place } = this.rope.find('lines', pos.line)!;
    const local = pos.line - place.line;
    const lineStart = item.lineStarts[local]!;
    if (pos.character <= 0) return place.offset + lineStart;
    const next = local + 1 < item.lineStarts.length ? item.lineStarts[local + 1]! : item.chars;
    return place.offset + beforeEol(item.text, Math.min(lineStart + pos.character, next), lineStart);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.rope.chars));
    const found = this.rope.find('chars', o);
    if (!found) return { line: 0, character: o };
    const { item, place } = found;
    const local = o - place.offset;
    const starts = item.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= local) lo = mid;
      else hi = mid - 1;
    }
    return { line: place.line + lo, character: beforeEol(item.text, local, starts[lo]!) - starts[lo]! };
  }

  /** Replaces `range` with `text`; the chunks around it are cut again. */
  replace(range: Range, text: string): void {
    let start = this.offsetAt(range.start);
    let end = this.offsetAt(range.end);
    if (end < start) [start, end] = [end, start];
    this.joined = undefined;
    const n = this.rope.size;
    if (n === 0) {
      this.rope = new Rope(chunksOf(text));
      return;
    }
    const first = Math.max(0, this.rope.find('chars', start)!.place.index - 1);
    const last = Math.min(n - 1, this.rope.find('chars', Math.max(start, end - 1))!.place.index + 1);
    const from = this.rope.placeOf(this.rope.at(first)!).offset;
    const lastChunk = this.rope.at(last)!;
    const to = this.rope.placeOf(lastChunk).offset + lastChunk.chars;
    const region = this.slice(from, to);
    this.rope.splice(first, last - first + 1, chunksOf(region.slice(0, start - from) + text + region.slice(end - from)));
  }
}

/** Moves `offset` back over line-break characters, not before `lineStart` (the library's `ensureBeforeEOL`). */
function beforeEol(text: string, offset: number, lineStart: number): number {
  while (offset > lineStart && (text.charCodeAt(offset - 1) === 10 || text.charCodeAt(offset - 1) === 13)) offset--;
  return offset;
}
