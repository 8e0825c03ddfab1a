/**
 * Seeded stream of small incremental edits to the bundle, the kind a user makes while typing: change one
 * digit of a `storage:` request, or insert a comment line, each in a randomly chosen document. The stream
 * keeps the current text, so every edit is computed against the text the server also has.
 */
import { Prng } from './prng.js';

export interface Edit {
  /** LSP-style range (0-based lines, UTF-16 characters) of the replaced text in the text before the edit. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
  kind: 'digit' | 'comment';
  /** `kind:` of the edited document (VolumeSnapshot, PersistentVolumeClaim, ...). */
  docKind: string;
}

export class EditStream {
  private readonly r: Prng;
  private n = 0;

  constructor(
    public text: string,
    seed: number,
  ) {
    this.r = new Prng(seed);
  }

  /** The next edit; `text` is updated to the text after it. */
  next(): Edit {
    const docs = documentStarts(this.text);
    const i = this.r.int(0, docs.length - 1);
    const start = docs[i]!;
    const end = i + 1 < docs.length ? docs[i + 1]! : this.text.length;
    // Copied out: V8 makes a substring of 13 characters or more a view of its parent, so `PersistentVolumeClaim`
    // kept the whole 3 MB text of this edit alive (the bench client grew by ~2 MB an edit, and its mark-compacts
    // landed in the timed edits: bench/README.md, editcost6).
    const docKind = copied(/^kind: (\w+)/m.exec(this.text.slice(start, end))?.[1] ?? '?');
    this.n++;
    let from: number;
    let to: number;
    let newText: string;
    let kind: Edit['kind'];
    const digitAt = this.r.chance(0.5) ? storageDigit(this.text, start, end) : -1;
    if (digitAt >= 0) {
      kind = 'digit';
      from = digitAt;
      to = digitAt + 1;
      const old = this.text[digitAt]!;
      const choices = '123456789'.replace(old, '');
      newText = choices[this.r.int(0, choices.length - 1)]!;
    } else {
      kind = 'comment';
      // Any line start inside the document: comment lines may sit anywhere in block YAML (the bundle has no
      // block scalars, where a `#` line would be content).
      const lines: number[] = [];
      for (let p = start; p < end; p = this.text.indexOf('\n', p) + 1 || end) lines.push(p);
      from = to = lines[this.r.int(0, lines.length - 1)]!;
      newText = `# bench edit ${this.n}: reviewed ${this.r.hex(6)}\n`;
    }
    const lineStarts = lineStartsOf(this.text);
    const range = { start: position(lineStarts, from), end: position(lineStarts, to) };
    this.text = this.text.slice(0, from) + newText + this.text.slice(to);
    return { range, newText, kind, docKind };
  }
}

/** `s` in a string of its own (not a view of a longer one). */
function copied(s: string): string {
  return s.split('').join('');
}

/** Offsets where documents start: the file start and after each `---` line. */
function documentStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n---\n'); i !== -1; i = text.indexOf('\n---\n', i + 1)) starts.push(i + 5);
  return starts;
}

/** Offset of the first digit of a `storage:` value within [start, end), else -1. */
function storageDigit(text: string, start: number, end: number): number {
  const re = /storage: (\d)/g;
  re.lastIndex = start;
  const m = re.exec(text);
  return m && m.index < end ? m.index + 'storage: '.length : -1;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function position(lineStarts: readonly number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - lineStarts[lo]! };
}
