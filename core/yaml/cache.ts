/**
 * The cache of parsed document segments, shared across files, plus (for `parseYamlFile`) the last parse of each
 * recently parsed file, so that an edit finds its unchanged documents by position rather than by hashing every
 * document's text again.
 */
import type { YamlFile } from './file.js';
import { parseSegment } from './segment.js';
import type { ParsedSegment } from './segment.js';

/** The last parse of a file, kept for `parseYamlFile`'s next call. */
type FileMemo = YamlFile;

/**
 * A bounded least-recently-used cache of parsed segments keyed by their exact text. Share one across all
 * files: an edit re-parses only the documents whose text changed. Entries are shared and must be treated
 * as read-only (never mutate a cached `Document`).
 */
export class DocumentCache {
  private readonly entries = new Map<string, ParsedSegment>();
  private readonly files = new Map<string, FileMemo>();
  readonly maxEntries: number;
  readonly maxFiles: number;

  /**
   * @param maxEntries segments to keep (20,000 by default: about one per document of a large workspace).
   * @param maxFiles files whose last parse is remembered for positional matching (the ones being edited).
   */
  constructor(maxEntries = 20_000, maxFiles = 64) {
    this.maxEntries = Math.max(0, Math.floor(maxEntries));
    this.maxFiles = Math.max(0, Math.floor(maxFiles));
  }

  /** Number of cached segments. */
  get size(): number {
    return this.entries.size;
  }

  /** The parsed segment for `text`, parsing and remembering it when not cached. */
  segment(text: string): ParsedSegment {
    const hit = this.entries.get(text);
    if (hit) {
      this.touch(hit);
      return hit;
    }
    // Uncached (a one-shot Workspace), the parse is its segment's alone, and the segment's file holds the whole
    // text anyway: a copy would only add a second text for GC to copy.
    if (this.maxEntries === 0) return parseSegment(text);
    const parsed = parseSegment(detach(text));
    this.entries.set(parsed.text, parsed);
    if (this.entries.size > this.maxEntries) evictOldest(this.entries, Math.max(1, this.maxEntries >> 4));
    return parsed;
  }

  /** Marks a cached segment as recently used. Cheap: cached keys keep their computed hash. */
  private touch(segment: ParsedSegment): void {
    // Map iteration order is insertion order, so re-inserting moves the entry to the young end.
    this.entries.delete(segment.text);
    this.entries.set(segment.text, segment);
  }

  /** The memo of `file`'s last parse through this cache (for `parseYamlFile`). */
  memo(file: string): FileMemo | undefined {
    return this.files.get(file);
  }

  /** Records `file`'s latest parse (for `parseYamlFile`); only the `maxFiles` most recent are kept. */
  remember(file: string, memo: FileMemo): void {
    this.files.delete(file);
    if (this.maxFiles === 0) return;
    this.files.set(file, memo);
    if (this.files.size > this.maxFiles) evictOldest(this.files, 1);
  }

  /** Drops a file's memo (e.g. when it is closed or deleted); its segments stay cached. */
  forget(file: string): void {
    this.files.delete(file);
  }

  clear(): void {
    this.entries.clear();
    this.files.clear();
  }
}

/**
 * Deletes the `count` oldest entries (Maps iterate in insertion order). Done in batches because V8 leaves
 * deleted entries as holes until the table is rebuilt and every new iterator walks over them from the
 * start: evicting one entry per insertion made 100,000 insertions take 1.5 s instead of 30 ms.
 */
function evictOldest<K, V>(map: Map<K, V>, count: number): void {
  for (const key of map.keys()) {
    map.delete(key);
    if (--count <= 0) break;
  }
}

/**
 * A copy of `s` that does not point into the string it was sliced from. V8 represents `slice` results as
 * views of the parent, so caching a slice would keep every edited version of a large file alive;
 * flattening a concatenation allocates fresh storage of the slice's own size.
 */
function detach(s: string): string {
  return (' ' + s).slice(1);
}
