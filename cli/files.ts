/**
 * Turns the paths on the command line into SourceFiles: folders searched recursively for YAML and for the JSON
 * index files of OADP's kubevirt datamover, `-` read from stdin. Failures are values, never exceptions: a file that
 * cannot be read (binary, not UTF-8, over the size limit, permission denied, a symbolic link loop) is listed in
 * `unreadable` with the reason and becomes a `file-unreadable` finding, so one bad file never hides the others'
 * findings; only a path given on the command line that does not exist is an error. The sizes of the qcow2 files
 * met on the way are kept, so the datamover checks can tell a missing or truncated file.
 */
import { isAscii } from 'node:buffer';
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { datamoverRole } from '../core/datamover/layout.js';
import type { LocalFiles } from '../core/datamover/types.js';
import { decodeSourceText, tooLargeReason } from '../core/sourceText.js';
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
  /** Files (or folders) met that could not be read, with the reason: `file-unreadable` findings. */
  unreadable: Unreadable[];
  /** One message per path on the command line that does not exist (exit 2). */
  errors: string[];
  /** Every file of `files` and `unreadable`, in the order met: the order findings are listed in. */
  order: string[];
  /** Worth telling, not failing on (a folder without YAML). */
  warnings: string[];
  /** Set when datamover index files were found in folders: the qcow2 files under those folders. */
  local?: LocalFiles;
}

export interface Unreadable {
  /** As findings name files (see `displayPath`). */
  file: string;
  reason: string;
}

/** What a folder walk found: manifests (YAML), JSON files that may be datamover indexes, qcow2 sizes. */
interface Found {
  /** With `reason` when it could not be reached (a dangling or looping link, a folder that cannot be listed). */
  files: Array<{ abs: string; shown: string; json: boolean; reason?: string; real?: string }>;
  sizes: Map<string, bigint>;
}

export interface ReadInputsOptions {
  cwd: string;
  stdin: NodeJS.ReadableStream;
  maxBytes?: number;
  /**
   * Told, before they are read, how many files were found so far and the size of those named (walked files count
   * no bytes): the caller can start what it will need meanwhile (lint's worker threads).
   */
  onFound?: (files: number, bytes: number) => void;
}

/** A path as findings report it: as given (normalised), or relative to the walked folder, with `/`. */
export function displayPath(p: string): string {
  return path.normalize(p).split(path.sep).join('/');
}

export async function readInputs(paths: string[], options: ReadInputsOptions): Promise<ReadInputsResult> {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const result: ReadInputsResult = { files: [], unreadable: [], order: [], errors: [], warnings: [] };
  const unreadable = (file: string, reason: string): void => {
    result.unreadable.push({ file, reason });
    result.order.push(file);
  };
  const seenFiles = new Set<string>();
  const walked: string[] = [];
  const sizes = new Map<string, bigint>();
  let datamover = false;
  let stdinRead = false;
  let foundFiles = 0;
  let foundBytes = 0;

  /** Adds a file read; a walked JSON file is kept only when it is a datamover index (false otherwise). */
  const addRead = (read: Read, shown: string, onlyDatamover: boolean): boolean => {
    if (seenFiles.has(read.real)) return true;
    const text = read.text;
    if (onlyDatamover && (typeof text !== 'string' || !datamoverRole(shown, text))) return false;
    seenFiles.add(read.real);
    if (typeof text === 'string') {
      result.files.push({ file: shown, text });
      result.order.push(shown);
    } else unreadable(shown, text.reason);
    if (onlyDatamover) datamover = true;
    return true;
  };
  const addFile = async (abs: string, shown: string): Promise<boolean> => {
    const real = await realpath(abs).catch(() => abs);
    if (seenFiles.has(real)) return true;
    return addRead({ real, text: await readText(createReadStream(abs), maxBytes) }, shown, false);
  };

  for (const given of paths) {
    if (given === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      const text = await readText(options.stdin, maxBytes);
      if (typeof text === 'string') {
        result.files.push({ file: STDIN_FILE, text });
        result.order.push(STDIN_FILE);
      } else unreadable(STDIN_FILE, text.reason);
      continue;
    }
    const abs = path.resolve(options.cwd, given);
    const shown = displayPath(given);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      // A path that is not there is the command line's mistake; one that is there but cannot be reached is a file's.
      if (isMissing(err)) result.errors.push(`cannot read '${shown}': ${reasonOf(err)}`);
      else unreadable(shown, reasonOf(err));
      continue;
    }
    if (st.isDirectory()) {
      const found: Found = { files: [], sizes };
      await walk(abs, shown, new Set(), found);
      walked.push(shown);
      found.files.sort((a, b) => compare(a.shown, b.shown));
      foundFiles += found.files.length;
      options.onFound?.(foundFiles, foundBytes);
      let any = false;
      // Read and added in order.
      for (const f of found.files) {
        if (f.reason !== undefined) unreadable(f.shown, f.reason);
        else any = addRead(readWalked(f.abs, f.real, maxBytes), f.shown, f.json) || any;
      }
      if (!any && !found.files.some((f) => f.reason !== undefined)) result.warnings.push(`no .yaml or .yml files in '${shown}'`);
    } else if (st.isFile() && st.size > maxBytes) {
      unreadable(shown, tooLargeReason(maxBytes));
    } else {
      // Named explicitly: linted whatever its extension (and FIFOs such as <(cat x) work too).
      foundFiles++;
      if (st.isFile()) foundBytes += st.size;
      options.onFound?.(foundFiles, foundBytes);
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
): Promise<void> {
  let real: string;
  let entries;
  try {
    real = await realpath(abs);
    if (visited.has(real)) return;
    visited.add(real);
    entries = await readdir(abs, { withFileTypes: true });
  } catch (err) {
    out.files.push({ abs, shown, json: false, reason: reasonOf(err) });
    return;
  }
  for (const entry of entries) {
    const childAbs = joinName(abs, entry.name);
    const childShown = posix ? joinName(shown, entry.name) : displayPath(path.join(shown, entry.name));
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const st = await stat(childAbs);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (err) {
        // A dangling (or looping) link only matters when it looks like a manifest we were asked to lint.
        if (YAML_NAME.test(entry.name)) out.files.push({ abs: childAbs, shown: childShown, json: false, reason: reasonOf(err) });
        continue;
      }
    }
    if (isDir) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(childAbs, childShown, visited, out);
    } else if (isFile && (YAML_NAME.test(entry.name) || JSON_NAME.test(entry.name))) {
      // A file that is no link is where its folder really is: no realpath call (one lstat per path component).
      const file = { abs: childAbs, shown: childShown, json: JSON_NAME.test(entry.name) };
      out.files.push(entry.isSymbolicLink() ? file : { ...file, real: joinName(real, entry.name) });
    } else if (isFile && QCOW2_NAME.test(entry.name)) {
      const size = await stat(childAbs).then((st) => BigInt(st.size), () => undefined);
      if (size !== undefined) out.sizes.set(childShown, size);
    }
  }
}

const posix = path.sep === '/';

/**
 * `path.join(dir, name)` for a name listed in a folder (never `.` or `..`, no separator) and a folder path that is
 * normalised (resolved, real or `displayPath`'s), as the walk's are: on POSIX, without a trailing separator, the
 * two joined by one (path.join normalises the whole path again, for each of 10,000 files).
 */
function joinName(dir: string, name: string): string {
  return posix && dir !== '.' && !dir.endsWith('/') ? `${dir}/${name}` : path.join(dir, name);
}

interface Read {
  real: string;
  text: string | { reason: string };
}

/** What a walked file is first read into: a manifest that fits is read without an fstat or a buffer of its own. */
const firstRead = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * A regular file met in a folder walk: its real path (`real` when the walk knows it: a file that is no link) and
 * its text (or why not). Read with the synchronous calls: for 10,000 small manifests the promise and thread-pool
 * round trips of the asynchronous ones cost more than the reads themselves, and nothing else waits on this thread
 * meanwhile. Open, then read to the end into `firstRead`; only a file that fills it is sized with fstat (whose
 * Stats object, dates and all, cost more than the read of a small file) and read into a buffer of its size.
 */
function readWalked(abs: string, known: string | undefined, maxBytes: number): Read {
  let real = known ?? abs;
  if (known === undefined) {
    try {
      real = realpathSync.native(abs);
    } catch {
      // Reported by the read below, if it fails too.
    }
  }
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    let n = 0;
    for (let got = 1; got > 0 && n < firstRead.length; n += got) got = readSync(fd, firstRead, n, firstRead.length - n, null);
    // Read to its end (and not over the limit, or a file that does not know its size: as below, read whatever it holds).
    if (n < firstRead.length && (n <= maxBytes || fstatSync(fd).size === 0)) return { real, text: decoded(firstRead.subarray(0, n)) };
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { real, text: { reason: tooLargeReason(maxBytes) } };
    // (A size of 0 may be a file that does not know its size: read until the end.)
    const head = Buffer.from(firstRead.subarray(0, n));
    return { real, text: decoded(size > 0 ? readSized(fd, size, head) : Buffer.concat([head, readFileSync(fd)])) };
  } catch (err) {
    return { real, text: { reason: reasonOf(err) } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The `size` bytes fstat gave, `head` (read before) and the rest (readFileSync on a descriptor would fstat it again);
 * fewer if it shrank, and whatever it has grown by up to `head`'s length.
 */
function readSized(fd: number, size: number, head: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(Math.max(size, head.length));
  head.copy(bytes);
  let n = head.length;
  for (let got = 1; n < bytes.length && got > 0; n += got) got = readSync(fd, bytes, n, bytes.length - n, null);
  return n < bytes.length ? bytes.subarray(0, n) : bytes;
}

/**
 * The text of a file's bytes, or why they are none (decodeSourceText). ASCII without NUL bytes, what nearly every
 * manifest is, is its own text: no BOM to drop, no UTF-8 to check, so it skips the strict decoder.
 */
export function decoded(bytes: Buffer): string | { reason: string } {
  if (isAscii(bytes) && !bytes.includes(0)) return bytes.toString('latin1');
  const d = decodeSourceText(bytes);
  return d.ok ? d.text : { reason: d.reason };
}

/** Reads a stream as text (decodeSourceText: UTF-8, BOM dropped, binary refused), refusing more than `maxBytes`. */
async function readText(stream: NodeJS.ReadableStream, maxBytes: number): Promise<string | { reason: string }> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      total += buf.length;
      if (total > maxBytes) {
        if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
        return { reason: tooLargeReason(maxBytes) };
      }
      chunks.push(buf);
    }
  } catch (err) {
    return { reason: reasonOf(err) };
  }
  return decoded(Buffer.concat(chunks, total));
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Why a file system call failed, in words. */
function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' ? 'no such file or directory'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'ELOOP' ? 'too many levels of symbolic links (a link loop)'
    : code === 'ENOTDIR' ? 'not a directory'
    : code === 'EISDIR' ? 'is a directory'
    : code === 'EIO' ? 'input/output error'
    : err instanceof Error ? err.message
    : String(err);
}

/** Code-unit order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
