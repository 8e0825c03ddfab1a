/**
 * A YAML file as an ordered rope of document segments (split.ts cuts them, segment.ts parses them). An edit
 * re-splits only the segments around it and replaces those in the rope; every other segment stays as it is,
 * with its parse and whatever its owner hangs on it (`state`), and without knowing its offset or first line:
 * those are sums over the rope, so an inserted line shifts nothing.
 */
import { mapped } from '../arrays.js';
import type { Position, Range } from '../types.js';
import type { DocumentCache } from './cache.js';
import type { EditHint, YamlDoc } from './documents.js';
import { Rope, RopeItem } from './rope.js';
import type { RopePlace } from './rope.js';
import { parseSegment } from './segment.js';
import type { ParsedSegment } from './segment.js';
import { splitDocuments } from './split.js';
import { PlacedDoc, RelativeDoc, segmentLineCount } from './views.js';
import type { Placeable, SegmentPlace } from './views.js';

/** One document segment of a file: its text, its parse (while held) and its owner's state. */
export class Segment<S = unknown> extends RopeItem implements Placeable {
  readonly chars: number;
  readonly lines: number;
  readonly docs: number;
  /** What the owner (core/workspace.ts) keeps per segment. */
  state: S | undefined = undefined;
  private held: ParsedSegment | undefined;
  private views: Views | undefined;
  private at: { version: number; place: RopePlace } | undefined;
  /** `place().line` as of the rope's `linesVersion` `lineAt` (-1: not known). */
  private lineAt = -1;
  private lineNo = 0;

  constructor(
    private readonly file: YamlFile<S>,
    parsed: ParsedSegment,
  ) {
    super();
    this.held = parsed;
    this.chars = parsed.text.length;
    this.lines = parsed.lineStarts.length - 1;
    this.docs = parsed.docs.length;
  }

  get text(): string {
    return this.held ? this.held.text : this.file.textOf(this);
  }

  /** The parse; re-read through the cache (or parsed again) after `release()`. */
  get parsed(): ParsedSegment {
    return (this.held ??= this.file.parse(this.file.textOf(this)));
  }

  /** Drops the parse (its text stays, in the file): for files only indexed, not analysed. */
  release(): void {
    if (!this.held) return;
    this.file.remember(this, this.held.text);
    this.held = undefined;
    this.views = undefined;
  }

  /**
   * Drops the parse and the text for good (a one-shot Workspace, once the segment's findings are handed out):
   * what is read of the segment after this is a bug, and throws.
   */
  drop(): void {
    this.held = undefined;
    this.views = undefined;
  }

  /** Whether the parse is held. */
  get isHeld(): boolean {
    return this.held !== undefined;
  }

  /** Where the segment starts in its file (treat as read-only: the same object until the rope changes). */
  place(): RopePlace {
    const rope = this.file.rope;
    if (this.at?.version !== rope.version) this.at = { version: rope.version, place: rope.placeOf(this) };
    return this.at.place;
  }

  /**
   * The line the segment starts at: the same while no edit added or removed lines (an edit within a line, the
   * common keystroke), then moved by the lines the edits since added above it: what is anchored to segments
   * (related objects) is placed by a field read, not a rope walk per anchor.
   */
  line(): number {
    const rope = this.file.rope;
    const version = rope.linesVersion;
    if (this.lineAt !== version) {
      // Moved by the splices since it was read (no rope walk), else looked up.
      this.lineNo = rope.shiftedLine(this.lineNo, this.lineAt) ?? this.place().line;
      this.lineAt = version;
    }
    return this.lineNo;
  }

  /**
   * The documents with file positions, looked up on use. New objects once the segment moved: adapters that cache
   * per document object (navigation) must not get positions computed before the move under the same object.
   */
  placed(): readonly YamlDoc[] {
    const views = this.viewsOf();
    const p = this.place();
    if (!views.placed || views.placedAt!.line !== p.line || views.placedAt!.doc !== p.doc) {
      views.placed = this.placedDocs(this.parsed);
      views.placedAt = { line: p.line, doc: p.doc };
    }
    return views.placed;
  }

  /** The documents as rules see them: positions relative to the segment's first line. */
  relative(): readonly RelativeDoc[] {
    return this.viewsOf().relative;
  }

  private viewsOf(): Views {
    if (this.views) return this.views;
    const parsed = this.parsed;
    return (this.views = {
      placed: undefined,
      placedAt: undefined,
      relative: mapped(parsed.docs, (part, i) => new RelativeDoc(parsed, part, i, this)),
    });
  }

  // `mapped`, not `map` (here and in viewsOf): code optimized on the open's views deoptimized on the first edit's
  // (core/arrays.ts).
  private placedDocs(parsed: ParsedSegment): PlacedDoc[] {
    return mapped(parsed.docs, (part, i) => new PlacedDoc(parsed, part, i, this));
  }

  /** The segment's first line and the documents before it, as a new object (the views' `Placeable`). */
  segmentPlace(): SegmentPlace {
    const p = this.place();
    return { line: p.line, doc: p.doc };
  }
}

interface Views {
  /** Made when first asked (the rules read `relative`; a one-shot Workspace never asks for these). */
  placed: PlacedDoc[] | undefined;
  /** Where the segment was when `placed` was made. */
  placedAt: { line: number; doc: number } | undefined;
  relative: RelativeDoc[];
}

/** What an edit did to the rope: segments that left it and segments that entered it. */
export interface FileChange<S> {
  removed: Segment<S>[];
  added: Segment<S>[];
  /** Documents added minus documents removed. */
  docsDelta: number;
}

export class YamlFile<S = unknown> {
  readonly rope: Rope<Segment<S>>;
  /** Texts of released segments (their parse was dropped); made on the first release (most files have none). */
  private texts: WeakMap<Segment<S>, string> | undefined;

  constructor(
    text: string,
    private readonly cache?: DocumentCache,
  ) {
    this.rope = new Rope(splitDocuments(text).map((s) => this.segment(text.slice(s.start, s.end))));
  }

  /** Number of lines as the editor counts them (line breaks + 1). */
  get lineCount(): number {
    return this.rope.lines + 1;
  }

  get length(): number {
    return this.rope.chars;
  }

  segments(): Segment<S>[] {
    return this.rope.items();
  }

  /** The whole text (joined from the segments). */
  text(): string {
    return this.segments()
      .map((s) => s.text)
      .join('');
  }

  parse(text: string): ParsedSegment {
    return this.cache ? this.cache.segment(text) : parseSegment(text);
  }

  textOf(segment: Segment<S>): string {
    const t = this.texts?.get(segment);
    if (t === undefined) throw new Error('a released segment lost its text');
    return t;
  }

  remember(segment: Segment<S>, text: string): void {
    (this.texts ??= new WeakMap()).set(segment, text);
  }

  /**
   * Applies an edit given as the new text and where it changed. Only the segments around the edit are split
   * again and compared; undefined (nothing done) when the hint does not fit the text.
   */
  applyHint(text: string, hint: EditHint): FileChange<S> | undefined {
    const n = this.rope.size;
    const length = this.rope.chars;
    if (n === 0 || hint.start < 0 || hint.oldEnd < hint.start || hint.oldEnd > length) return undefined;
    if (text.length - length !== hint.newEnd - hint.oldEnd || hint.newEnd < hint.start) return undefined;
    // The segment holding the edit's start and the one holding its end, widened by one on each side: a
    // typed or deleted `---` merges or splits segments at the edges.
    const first = Math.max(0, this.rope.find('chars', hint.start)!.place.index - 1);
    const last = Math.min(n - 1, this.rope.find('chars', Math.max(hint.start, hint.oldEnd - 1))!.place.index + 1);
    const from = this.rope.placeOf(this.rope.at(first)!).offset;
    const lastSeg = this.rope.at(last)!;
    const to = this.rope.placeOf(lastSeg).offset + lastSeg.chars + (text.length - length);
    // A region starting the file is split with the file's own start (a BOM, a preamble); any other starts where
    // a segment started, which the splitter treats as a fresh start too.
    const region = text.slice(from, to);
    return this.replace(first, last - first + 1, splitDocuments(region).map((s) => region.slice(s.start, s.end)));
  }

  /**
   * Replaces `range` (editor positions, clamped as `offsetAt` clamps them) with `text`, without the rest of the
   * file's text: the segments around the edit are joined, edited, split again and compared.
   */
  applyEdit(range: Range, text: string): FileChange<S> {
    let start = this.offsetAt(range.start);
    let end = this.offsetAt(range.end);
    if (end < start) [start, end] = [end, start];
    const n = this.rope.size;
    if (n === 0) return this.setText(text);
    const first = Math.max(0, this.rope.find('chars', start)!.place.index - 1);
    const last = Math.min(n - 1, this.rope.find('chars', Math.max(start, end - 1))!.place.index + 1);
    const from = this.rope.placeOf(this.rope.at(first)!).offset;
    let region = '';
    for (let i = first; i <= last; i++) region += this.rope.at(i)!.text;
    region = region.slice(0, start - from) + text + region.slice(end - from);
    return this.replace(first, last - first + 1, splitDocuments(region).map((s) => region.slice(s.start, s.end)));
  }

  /** Replaces the whole text, re-using the segments whose text is unchanged at the start and the end. */
  setText(text: string): FileChange<S> {
    return this.replace(0, this.rope.size, splitDocuments(text).map((s) => text.slice(s.start, s.end)));
  }

  /** Replaces `count` segments from `index` with segments of `texts`, keeping equal ones at both ends. */
  private replace(index: number, count: number, texts: string[]): FileChange<S> {
    const old = [];
    for (let i = 0; i < count; i++) old.push(this.rope.at(index + i)!);
    let head = 0;
    while (head < old.length && head < texts.length && old[head]!.text === texts[head]) head++;
    let tail = 0;
    while (tail < old.length - head && tail < texts.length - head && old[old.length - 1 - tail]!.text === texts[texts.length - 1 - tail]) tail++;
    const removed = old.slice(head, old.length - tail);
    const added = texts.slice(head, texts.length - tail).map((t) => this.segment(t));
    if (removed.length > 0 || added.length > 0) this.rope.splice(index + head, removed.length, added);
    let docsDelta = 0;
    for (const s of added) docsDelta += s.docs;
    for (const s of removed) docsDelta -= s.docs;
    return { removed, added, docsDelta };
  }

  private segment(text: string): Segment<S> {
    return new Segment(this, this.parse(text));
  }

  /**
   * The document holding `pos`, with file positions. Segments tile the file: the lines after a document up
   * to the next `---` are its own, except after a `...` end marker, where they lead into the next document (as
   * a file's header comments lead into the first). Undefined past the last document or in an empty file.
   */
  docAt(pos: Position): YamlDoc | undefined {
    if (pos.line < 0 || this.rope.docs === 0) return undefined;
    // The segment holding the line, then back to one with a document (comment-only segments have none).
    const found = this.rope.find('lines', pos.line);
    // The lines of a segment without documents (comments after a `...`) belong to none.
    if (!found || found.item.docs === 0) return undefined;
    const { item, place } = found;
    const docs = item.placed();
    const end = place.line + segmentLineCount(item.parsed);
    const lastSegment = place.index === this.rope.size - 1;
    const ownsLastLine = lastSegment && pos.line === end && end === this.lineCount - 1;
    if (pos.line >= end && !ownsLastLine) return undefined;
    // Several documents in one segment (rare: yaml split where the text scan did not) share line spans.
    let k = docs.length - 1;
    while (k > 0 && before(pos, docs[k]!.range.start)) k--;
    return docs[k];
  }

  /** Offset in the text of an editor position, clamped as vscode-languageserver-textdocument 1.0.16's `offsetAt`. */
  offsetAt(pos: Position): number {
    if (pos.line > this.rope.lines) return this.rope.chars;
    if (pos.line < 0 || this.rope.size === 0) return 0;
    const { item, place } = this.rope.find('lines', pos.line)!;
    const { text, lineStarts } = item.parsed;
    const local = pos.line - place.line;
    const lineStart = lineStarts[local]!;
    if (pos.character <= 0) return place.offset + lineStart;
    const nextStart = local + 1 < lineStarts.length ? lineStarts[local + 1]! : text.length;
    let offset = Math.min(lineStart + pos.character, nextStart);
    while (offset > lineStart && (text.charCodeAt(offset - 1) === 10 || text.charCodeAt(offset - 1) === 13)) offset--;
    return place.offset + offset;
  }
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
