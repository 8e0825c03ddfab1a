/**
 * Line tables for a segment of text, counted the way LSP and VS Code count: `\r\n`, `\n` and a lone `\r`
 * each end a line; characters are UTF-16 code units. (yaml's own LineCounter counts `\n` only, which would
 * put a lone `\r` file out of step with the editor.)
 */
import type { Position } from '../types.js';

/** Offsets at which each line of `text` starts; always begins with 0. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') === -1) {
    // Fast path for the common LF-only text: indexOf is much quicker than a charCodeAt loop.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    // Kept with the segment's parse: at its length (grown by push it has up to half again as many slots).
    return starts.slice();
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Index of the line containing `offset` (the last line start at or before it). */
function lineIndexOf(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Position of `offset` in a segment whose first line is file line `firstLine`. */
export function positionAt(lineStarts: readonly number[], firstLine: number, offset: number): Position {
  const line = lineIndexOf(lineStarts, offset);
  return { line: firstLine + line, character: offset - (lineStarts[line] as number) };
}

/** Offset just past the last character of line `line` before its line break. */
export function lineContentEnd(text: string, lineStarts: readonly number[], line: number): number {
  let end = line + 1 < lineStarts.length ? (lineStarts[line + 1] as number) : text.length;
  if (end > (lineStarts[line] as number) && text.charCodeAt(end - 1) === 10) end--;
  if (end > (lineStarts[line] as number) && text.charCodeAt(end - 1) === 13) end--;
  return end;
}

/** Moves `end` back over spaces, tabs and line breaks, never before `start`. */
export function trimEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    end--;
  }
  return end;
}
