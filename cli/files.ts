/**
 * Turns the paths on the command line into SourceFiles: folders searched recursively for YAML and for the JSON
 * index files of OADP's kubevirt datamover, `-` read from stdin. Failures are values (messages naming the path),
 * never exceptions, so that every bad path is reported in one run. The sizes of the qcow2 files met on the way
 * are kept, so the datamover checks can tell a missing or truncated file.
 */
import { createReadStream, readFileSync, realpathSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { datamoverRole } from '../core/datamover/layout.js';
import type { LocalFiles } from '../core/datamover/types.js';
import type { SourceFile } from '../core/types.js';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const STDIN_FILE = '<stdin>';

const YAML_NAME = /\.ya?ml$/i;
const JSON_NAME = /\.json$/i;
const QCOW2_NAME = /\.qcow2$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export interface ReadInputsResult {
  /** In command-line order; a folder's files sorted by path. Each real file appears once. */
  files: SourceFile[];
  /** One message per path that could not be read (exit 2). */
  errors: string[];
  /** Worth telling, not failing on (a folder without YAML). */
  warnings: string[];
  /** Set when datamover index files were found in folders: the qcow2 files under those folders. */
  local?: LocalFiles;
}

/** What a folder walk found: manifests (YAML), JSON files that may be datamover indexes, qcow2 sizes. */
interface Found {
  files: Array<{ abs: string; shown: string; json: boolean }>;
  sizes: Map<string, bigint>;
}

export interface ReadInputsOptions {
  cwd: string;
  stdin: NodeJS.ReadableStream;
  maxBytes?: number;
}

/** A path as findings report it: as given (normalised), or relative to the walked folder, with `/`. */
export function displayPath(p: string): string {
  return path.normalize(p).split(path.sep).join('/');
}

export async function readInputs(paths: string[], options: ReadInputsOptions): Promise<ReadInputsResult> {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const result: ReadInputsResult = { files: [], errors: [], warnings: [] };
  const seenFiles = new Set<string>();
  const walked: string[] = [];
  const sizes = new Map<string, bigint>();
  let datamover = false;
  let stdinRead = false;

  /** Adds a file read; a walked JSON file is kept only when it is a datamover index (false otherwise). */
  const addRead = (read: Read, shown: string, onlyDatamover: boolean): boolean => {
    if (seenFiles.has(read.real)) return true;
    const text = read.text;
    if (onlyDatamover && (typeof text !== 'string' || !datamoverRole(shown, text))) return false;
    seenFiles.add(read.real);
    if (typeof text === 'string') result.files.push({ file: shown, text });
    else result.errors.push(text.error);
    if (onlyDatamover) datamover = true;
    return true;
  };
  const addFile = async (abs: string, shown: string): Promise<boolean> => {
    const real = await realpath(abs).catch(() => abs);
    if (seenFiles.has(real)) return true;
    return addRead({ real, text: await readText(createReadStream(abs), shown, maxBytes) }, shown, false);
  };

  for (const given of paths) {
    if (given === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      const text = await readText(options.stdin, STDIN_FILE, maxBytes);
      if (typeof text === 'string') result.files.push({ file: STDIN_FILE, text });
      else result.errors.push(text.error);
      continue;
    }
    const abs = path.resolve(options.cwd, given);
    const shown = displayPath(given);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      result.errors.push(cannotRead(shown, err));
      continue;
    }
    if (st.isDirectory()) {
      const found: Found = { files: [], sizes };
      await walk(abs, shown, new Set(), found, result.errors);
      walked.push(shown);
      found.files.sort((a, b) => compare(a.shown, b.shown));
      let any = false;
      // Read in batches, added in order.
      for (let i = 0; i < found.files.length; i += readAhead) {
        const batch = found.files.slice(i, i + readAhead);
        const reads = await Promise.all(batch.map((f) => readWalked(f.abs, f.shown, maxBytes)));
        reads.forEach((read, k) => (any = addRead(read, batch[k]!.shown, batch[k]!.json) || any));
      }
      if (!any) result.warnings.push(`no .yaml or .yml files in '${shown}'`);
    } else if (st.isFile() && st.size > maxBytes) {
      result.errors.push(tooLarge(shown, maxBytes));
    } else {
      // Named explicitly: linted whatever its extension (and FIFOs such as <(cat x) work too).
      await addFile(abs, shown);
    }
  }
  if (datamover) result.local = walkedFiles(walked, sizes);
  return result;
}

/** The qcow2 files of the walked folders: a path under one of them that the walk did not meet is absent. */
export function walkedFiles(roots: readonly string[], sizes: ReadonlyMap<string, bigint>): LocalFiles {
  const under = (p: string) => roots.some((r) => (r === '.' ? !p.startsWith('/') && !p.startsWith('../') : p.startsWith(r.endsWith('/') ? r : `${r}/`)));
  return { size: (p) => sizes.get(p) ?? (under(p) ? 'absent' : undefined) };
}

/** Collects YAML files under a folder. `visited` holds real paths, so symlink loops end. */
async function walk(
  abs: string,
  shown: string,
  visited: Set<string>,
  out: Found,
  errors: string[],
): Promise<void> {
  let real: string;
  let entries;
  try {
    real = await realpath(abs);
    if (visited.has(real)) return;
    visited.add(real);
    entries = await readdir(abs, { withFileTypes: true });
  } catch (err) {
    errors.push(cannotRead(shown, err));
    return;
  }
  for (const entry of entries) {
    const childAbs = path.join(abs, entry.name);
    const childShown = displayPath(path.join(shown, entry.name));
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = await stat(childAbs);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (err) {
        // A dangling link only matters when it looks like a manifest we were asked to lint.
        if (YAML_NAME.test(entry.name)) errors.push(cannotRead(childShown, err));
        continue;
      }
    }
    if (isDir) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(childAbs, childShown, visited, out, errors);
    } else if (isFile && (YAML_NAME.test(entry.name) || JSON_NAME.test(entry.name))) {
      out.files.push({ abs: childAbs, shown: childShown, json: JSON_NAME.test(entry.name) });
    } else if (isFile && QCOW2_NAME.test(entry.name)) {
      const size = await stat(childAbs).then((st) => BigInt(st.size), () => undefined);
      if (size !== undefined) out.sizes.set(childShown, size);
    }
  }
}

/** Files of a folder read in one go before they are added in order. */
const readAhead = 64;

interface Read {
  real: string;
  text: string | { error: string };
}

/**
 * A regular file met in a folder walk: its real path and its text (or why not). Read with the synchronous calls:
 * for 10,000 small manifests the promise and thread-pool round trips of the asynchronous ones cost more than the
 * reads themselves, and nothing else waits on this thread meanwhile.
 */
async function readWalked(abs: string, shown: string, maxBytes: number): Promise<Read> {
  let real = abs;
  try {
    real = realpathSync(abs);
  } catch {
    // Reported by the read below, if it fails too.
  }
  try {
    const st = statSync(abs);
    if (st.size > maxBytes) return { real, text: { error: tooLarge(shown, maxBytes) } };
    return { real, text: decode(readFileSync(abs), shown) };
  } catch (err) {
    return { real, text: { error: cannotRead(shown, err) } };
  }
}

function decode(buffer: Buffer, shown: string): string | { error: string } {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return { error: `cannot read '${shown}': not valid UTF-8` };
  }
}

/** Reads a stream as UTF-8 (a leading BOM dropped, as editors do), refusing more than `maxBytes`. */
async function readText(stream: NodeJS.ReadableStream, shown: string, maxBytes: number): Promise<string | { error: string }> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buf.length;
      if (total > maxBytes) {
        if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
        return { error: tooLarge(shown, maxBytes) };
      }
      chunks.push(buf);
    }
  } catch (err) {
    return { error: cannotRead(shown, err) };
  }
  return decode(Buffer.concat(chunks), shown);
}

function tooLarge(shown: string, maxBytes: number): string {
  return `refusing to read '${shown}': larger than ${Math.round(maxBytes / (1024 * 1024))} MB`;
}

function cannotRead(shown: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT' ? 'no such file or directory'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'ELOOP' ? 'too many levels of symbolic links'
    : code === 'ENOTDIR' ? 'not a directory'
    : code === 'EISDIR' ? 'is a directory'
    : err instanceof Error ? err.message
    : String(err);
  return `cannot read '${shown}': ${reason}`;
}

/** Code-unit order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
