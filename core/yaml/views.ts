/**
 * YamlDoc views of one parsed segment's documents. A view maps the segment's offsets to file positions from
 * where the segment is: fixed (a one-shot parse), looked up in the file's rope on use (a document that moves
 * keeps its view), or relative to the segment's first line (what rules see: their findings then stay valid when
 * the document moves, and the workspace places them).
 */
import type { Document } from 'yaml';
import { mapped } from '../arrays.js';
import type { Position, Range } from '../types.js';
import type { YamlDoc, YamlProblem } from './documents.js';
import { lineContentEnd, positionAt } from './lines.js';
import type { ParsedSegment, SegmentDocument } from './segment.js';

/** Where a segment is in its file: its first line and the number of documents before it. */
export interface SegmentPlace {
  line: number;
  doc: number;
}

/** What knows where a segment is now (its Segment in the file's rope: an object, not a closure per segment). */
export interface Placeable {
  segmentPlace(): SegmentPlace;
}

abstract class SegmentView implements YamlDoc {
  readonly doc: Document.Parsed | undefined;
  private rangeMemo: Range | undefined;
  private problemsMemo: YamlProblem[] | undefined;

  /** `steady`: positions never move (fixed, or relative), so range and problems are converted once. */
  constructor(
    protected readonly segment: ParsedSegment,
    protected readonly part: SegmentDocument,
    private readonly steady: boolean,
  ) {
    this.doc = part.doc;
  }

  abstract readonly index: number;
  abstract readonly startLine: number;

  get range(): Range {
    if (this.rangeMemo) return this.rangeMemo;
    const range = this.toRange(this.part.start, this.part.end);
    if (this.steady) this.rangeMemo = range;
    return range;
  }

  get problems(): YamlProblem[] {
    if (this.problemsMemo) return this.problemsMemo;
    // `mapped`, not `map`: one array shape whether this runs optimized or not (core/arrays.ts).
    const problems = mapped(this.part.problems, (p) => {
      const problem: YamlProblem = { message: p.message, range: this.toRange(p.start, p.end), kind: p.kind };
      if (p.code !== undefined) problem.code = p.code;
      return problem;
    });
    if (this.steady) this.problemsMemo = problems;
    return problems;
  }

  get text(): string {
    return this.segment.text;
  }

  get lineCount(): number {
    return segmentLineCount(this.segment);
  }

  toPosition(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.segment.text.length));
    return positionAt(this.segment.lineStarts, this.startLine, o);
  }

  toRange(start: number, end: number): Range {
    const line = this.startLine;
    const { lineStarts, text } = this.segment;
    const clamp = (o: number) => Math.max(0, Math.min(o, text.length));
    return { start: positionAt(lineStarts, line, clamp(start)), end: positionAt(lineStarts, line, clamp(end)) };
  }

  toOffset(pos: Position): number | undefined {
    const { text, lineStarts } = this.segment;
    const line = pos.line - this.startLine;
    if (line < 0 || line >= lineStarts.length) return undefined;
    const start = lineStarts[line] as number;
    return Math.min(start + Math.max(0, pos.character), lineContentEnd(text, lineStarts, line));
  }
}

/** Number of file lines a segment covers: one ending in a line break does not own the empty line after it. */
export function segmentLineCount(segment: ParsedSegment): number {
  const { text, lineStarts } = segment;
  return lineStarts[lineStarts.length - 1] === text.length && text.length > 0 ? lineStarts.length - 1 : lineStarts.length;
}

/** A document at a fixed place (a one-shot parse). */
export class FixedDoc extends SegmentView {
  constructor(
    segment: ParsedSegment,
    part: SegmentDocument,
    readonly index: number,
    readonly startLine: number,
  ) {
    super(segment, part, true);
  }
}

/** A document of a segment in a file's rope: its index is found from where the segment is, when asked. */
abstract class RopeView extends SegmentView {
  constructor(
    segment: ParsedSegment,
    part: SegmentDocument,
    steady: boolean,
    private readonly nth: number,
    protected readonly at: Placeable,
  ) {
    super(segment, part, steady);
  }

  get index(): number {
    return this.at.segmentPlace().doc + this.nth;
  }
}

/** A document whose place is looked up when asked (the segment may move between edits). */
export class PlacedDoc extends RopeView {
  constructor(segment: ParsedSegment, part: SegmentDocument, nth: number, at: Placeable) {
    super(segment, part, false, nth, at);
  }

  get startLine(): number {
    return this.at.segmentPlace().line;
  }
}

/**
 * What rules see: positions relative to the segment's first line (line 0), so that findings survive the
 * document moving. The index is the document's current one; reading it is recorded (`readIndex`), because a
 * finding that names it must be computed again when documents are added or removed above.
 */
export class RelativeDoc extends RopeView {
  readonly startLine = 0;
  /** Set when `index` was read (the Workspace clears it before running the rules). */
  readIndex = false;

  constructor(segment: ParsedSegment, part: SegmentDocument, nth: number, at: Placeable) {
    super(segment, part, true, nth, at);
  }

  override get index(): number {
    this.readIndex = true;
    return super.index;
  }
}
