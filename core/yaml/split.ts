/**
 * Textual split of a YAML stream into document segments, so each document can be parsed (and cached) on
 * its own. This is faithful because YAML forbids `---` and `...` followed by white space at the start of a
 * line anywhere but as document markers (yaml's lexer ends every scalar and collection there too).
 * Lines are split on `\n` only, as yaml's lexer does; a lone `\r` does not start a line for it.
 */

/** A half-open span `[start, end)` of the file text. Spans start at line beginnings and tile the file. */
export interface SegmentSpan {
  start: number;
  end: number;
}

const DASH = 45;
const PERCENT = 37;
const HASH = 35;

/** True when the line from `i` to `end` holds only white space or a comment. */
function isBlankOrComment(text: string, i: number, end: number): boolean {
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) continue;
    return c === HASH || c === 10 || c === 13;
  }
  return true;
}

/** True when some line in `[from, to)` holds document content (not blank, comment or directive). */
function hasContent(text: string, from: number, to: number): boolean {
  for (let pos = from; pos < to; ) {
    const nl = text.indexOf('\n', pos);
    const next = nl === -1 || nl >= to ? to : nl + 1;
    if (text.charCodeAt(pos) !== PERCENT && !isBlankOrComment(text, pos, next)) return true;
    pos = next;
  }
  return false;
}

/**
 * Candidate marker lines. Found with one regular expression rather than line by line: it is the hot
 * loop of re-parsing a large file after an edit (0.9 ms instead of 2 ms on 3 MB). JavaScript's `^` also
 * matches after `\r` and U+2028/9, which yaml does not treat as line starts; callers check.
 */
const markerLine = /^\uFEFF?(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/**
 * Splits `text` into segments, one per document as yaml would compose them:
 * - a `---` line starts a new segment, unless the current one holds only comments, blank lines and
 *   directives so far (its preamble), in which case the marker joins it;
 * - a `...` line ends the current segment (it belongs to it); directives may follow it in the next one;
 * - `%` lines after content are content to yaml (it reports them), so they do not start a segment;
 * - a BOM is only recognised at the start of the file, as yaml does.
 * Segments may hold no document at all (comments after the last `...`); they parse to nothing.
 */
export function splitDocuments(text: string): SegmentSpan[] {
  const spans: SegmentSpan[] = [];
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let segStart = 0;
  // The current segment already holds a `---` or document content, so another `---` starts a new one.
  let open = false;
  // Where to resume looking for content while the segment is not open yet.
  let scanFrom = bom;
  markerLine.lastIndex = 0;
  for (let m = markerLine.exec(text); m !== null; m = markerLine.exec(text)) {
    let at = m.index;
    if (text.charCodeAt(at) === 0xfeff) {
      if (at !== 0) continue;
      at = 1;
    } else if (at !== 0 && text.charCodeAt(at - 1) !== 10) continue;
    if (!open) open = hasContent(text, scanFrom, at);
    if (text.charCodeAt(at) === DASH) {
      if (open) {
        spans.push({ start: segStart, end: at });
        segStart = at;
      }
      open = true;
    } else {
      const nl = text.indexOf('\n', at);
      const next = nl === -1 ? text.length : nl + 1;
      spans.push({ start: segStart, end: next });
      segStart = scanFrom = next;
      open = false;
      markerLine.lastIndex = next;
    }
  }
  if (segStart < text.length) spans.push({ start: segStart, end: text.length });
  return spans;
}
