/**
 * YAML files on disk in the workspace folders, indexed so that a PVC in an open document resolves a VolumeSnapshot
 * or StorageClass defined in a file that is not open. Bounded (size, count, skipped folders) and asynchronous.
 * Open documents win over disk contents: a file that is open is never (re)read from disk.
 * Also the JSON index files of OADP's kubevirt datamover (by place or content; other JSON is read and dropped),
 * and the sizes of the qcow2 files beside them, so that a backup chain's files can be checked without opening them.
 * A file that cannot be read (binary, not UTF-8, too large, permission denied) is left out of the index and said once
 * in the log (a scan names all of its unreadable files in one line), never thrown.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type ClientCapabilities,
  type Connection,
  type FileEvent,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { datamoverRole, isDatamoverPath } from '../core/datamover/layout.js';
import { isHelmTemplate } from '../core/helm.js';
import type { LocalFiles } from '../core/datamover/types.js';
import { decodeSourceText, tooLargeReason } from '../core/sourceText.js';
import type { Workspace } from '../core/workspace.js';
import type { Health } from './status.js';
import { fileKey, isJsonName, isYamlName, localPath } from './uris.js';

function isQcow2Name(path: string): boolean {
  return /\.qcow2$/i.test(path);
}

/** A folder's key prefix: its file URI with a trailing '/'. */
function folderKey(path: string): string {
  const key = fileKey(pathToFileURL(path).href);
  return key.endsWith('/') ? key : `${key}/`;
}

/** Bounds of the disk index. */
// Files on disk keep their text and facts, not their parse (Workspace.indexFile): 50,000 manifests fit in a few
// hundred MiB (bench/README.md, "server memory").
export const indexLimits = { maxFiles: 50_000, maxBytes: 5 * 1024 * 1024, maxSniffedJsonBytes: 1024 * 1024, concurrency: 16 } as const;

const skippedDirectories = new Set(['node_modules', '.git']);

/** What the index needs from the server. */
export interface WorkspaceFilesDeps {
  workspace: Workspace;
  /** Whether the file with this Workspace key is open in the editor (then the editor's text is authoritative). */
  isOpen: (key: string) => boolean;
  health: Health;
  /** The index changed in a way open documents may depend on. */
  changed: () => void;
  /** A line for the log (files left out of the index and why). */
  note: (message: string) => void;
}

/** How many unreadable files one log line names before "and N more". */
const namedPerNote = 10;

/** The disk side of the Workspace: folder scans, watched-file events, documents falling back to disk on close. */
export class WorkspaceFiles {
  private readonly folders = new Map<string, string>();
  private readonly indexed = new Set<string>();
  /** qcow2 files met by the scans and watched-file events: key → bytes. */
  private readonly qcow2 = new Map<string, bigint>();
  /** Folder keys (with a trailing '/') whose scan finished: a qcow2 file under one that is not in `qcow2` is absent. */
  private readonly scanned = new Set<string>();
  private stopped = false;
  /** Files and folders left out because they cannot be read: path → the reason last said (said again only when it changes). */
  private readonly unreadable = new Map<string, string>();
  /** Unreadable paths met by the scan in progress, said together when it ends; undefined outside a scan. */
  private unsaid: string[] | undefined;

  constructor(private readonly deps: WorkspaceFilesDeps) {}

  /** What the scans know of qcow2 files, for the datamover checks. */
  readonly localFiles: LocalFiles = {
    size: (key) => this.qcow2.get(key) ?? ([...this.scanned].some((folder) => key.startsWith(folder)) ? 'absent' : undefined),
  };

  /** Scans the `file:` folders among `folders`, then reports the index size. */
  async addFolders(folders: readonly WorkspaceFolder[]): Promise<void> {
    const added: string[] = [];
    for (const folder of folders) {
      const path = localPath(folder.uri);
      if (path !== undefined && !this.folders.has(folder.uri)) {
        this.folders.set(folder.uri, path);
        added.push(path);
      }
    }
    this.unsaid = [];
    for (const path of added) {
      if (await this.scan(path)) this.scanned.add(folderKey(path));
    }
    this.sayUnreadable(this.unsaid);
    this.unsaid = undefined;
    if (this.stopped) return;
    this.deps.health.indexed(this.indexed.size);
    this.deps.changed();
  }

  /** Forgets the files of removed folders (unless open, or still inside another folder). */
  removeFolders(folders: readonly WorkspaceFolder[]): void {
    for (const folder of folders) {
      this.folders.delete(folder.uri);
      const path = localPath(folder.uri);
      if (path !== undefined) this.scanned.delete(folderKey(path));
    }
    for (const key of [...this.indexed]) {
      const path = localPath(key);
      if (path === undefined || !this.isIndexable(path)) this.forget(key);
    }
    this.deps.health.indexed(this.indexed.size);
    this.deps.changed();
  }

  /** Applies `workspace/didChangeWatchedFiles` events. */
  async filesChanged(events: readonly FileEvent[]): Promise<void> {
    let changed = false;
    for (const event of events) {
      const path = localPath(event.uri);
      const key = fileKey(event.uri);
      if (path !== undefined && isQcow2Name(path)) {
        changed = (await this.sizeOf(path, key)) || changed;
        continue;
      }
      if (path === undefined || !this.isIndexable(path) || this.deps.isOpen(key)) continue;
      if (event.type === FileChangeType.Deleted) this.forget(key);
      else await this.load(path, key);
      changed = true;
    }
    if (changed && !this.stopped) this.deps.changed();
  }

  /** An open document was closed: the index falls back to the file on disk, or forgets it. */
  async documentClosed(uri: string): Promise<void> {
    const key = fileKey(uri);
    const path = localPath(uri);
    const onDisk = path !== undefined && this.isIndexable(path) && (await this.load(path, key));
    if (!onDisk) this.forget(key);
    if (!this.stopped) this.deps.changed();
  }

  /** Stops scanning (shutdown). */
  stop(): void {
    this.stopped = true;
  }

  /** Scans one folder; false when it stopped early (shutdown, the file cap), so absence proves nothing. */
  private async scan(root: string): Promise<boolean> {
    const directories = [root];
    let batch: Promise<boolean>[] = [];
    while (directories.length > 0 && !this.stopped) {
      const directory = directories.pop()!;
      let entries: Dirent[];
      try {
        entries = await readdir(directory, { withFileTypes: true });
      } catch (error) {
        if (!isGone(error)) this.cannotRead(directory, reasonOf(error));
        continue;
      }
      for (const entry of entries) {
        const path = join(directory, entry.name);
        // Symbolic links are neither: skipping them avoids cycles and files outside the folder.
        if (entry.isDirectory()) {
          if (!skippedDirectories.has(entry.name)) directories.push(path);
        } else if (entry.isFile() && isQcow2Name(entry.name)) {
          batch.push(this.sizeOf(path, fileKey(pathToFileURL(path).href)));
        } else if (entry.isFile() && (isYamlName(entry.name) || isJsonName(entry.name))) {
          if (this.indexed.size + batch.length >= indexLimits.maxFiles) {
            await Promise.all(batch);
            this.reportCap();
            return false;
          }
          batch.push(this.load(path, fileKey(pathToFileURL(path).href)));
          if (batch.length >= indexLimits.concurrency) {
            await Promise.all(batch);
            batch = [];
          }
        }
      }
    }
    await Promise.all(batch);
    return !this.stopped;
  }

  /** Records a qcow2 file's size (or that it is gone); true when that changed what is known. Never rejects. */
  private async sizeOf(path: string, key: string): Promise<boolean> {
    const size = await stat(path).then((st) => (st.isFile() ? BigInt(st.size) : undefined), () => undefined);
    const before = this.qcow2.get(key);
    if (size === undefined) this.qcow2.delete(key);
    else this.qcow2.set(key, size);
    return before !== size;
  }

  /** Reads one file into the Workspace; false when it is not (or no longer) indexable. Never rejects. */
  private async load(path: string, key: string): Promise<boolean> {
    // JSON outside a datamover prefix is read only to look at its keys: big ones are not indexes worth it, and
    // one that is not text is not ours either (so nothing is said of it).
    const sniffed = isJsonName(path) && !isDatamoverPath(key);
    let text: string;
    try {
      const info = await stat(path);
      const limit = sniffed ? indexLimits.maxSniffedJsonBytes : indexLimits.maxBytes;
      if (!info.isFile() || info.size > limit) {
        if (info.isFile() && !sniffed) this.cannotRead(path, tooLargeReason(limit));
        this.forget(key);
        return false;
      }
      if (!this.indexed.has(key) && this.indexed.size >= indexLimits.maxFiles) {
        this.reportCap();
        return false;
      }
      const decoded = decodeSourceText(await readFile(path));
      if (!decoded.ok) {
        if (!sniffed) this.cannotRead(path, decoded.reason);
        this.forget(key);
        return false;
      }
      text = decoded.text;
    } catch (error) {
      if (!isGone(error)) this.cannotRead(path, reasonOf(error));
      this.forget(key); // deleted or unreadable meanwhile
      return false;
    }
    this.unreadable.delete(path);
    // JSON is indexed only when it is a datamover index file; any other JSON (package.json, ...) is not ours. A
    // Helm template is not YAML until rendered: its objects are no facts.
    if ((isJsonName(path) && !datamoverRole(key, text)) || isHelmTemplate(key, text)) {
      this.forget(key);
      return false;
    }
    this.indexed.add(key);
    if (this.stopped || this.deps.isOpen(key)) return true;
    try {
      this.deps.workspace.indexFile(key, text);
    } catch (error) {
      this.deps.health.failed('index', `Indexing ${path}`, error);
    }
    return true;
  }

  /** Notes a file or folder left out of the index: once per reason, with the scan's others when a scan runs. */
  private cannotRead(path: string, reason: string): void {
    if (this.unreadable.get(path) === reason) return;
    if (this.unreadable.size >= indexLimits.maxFiles) this.unreadable.clear();
    this.unreadable.set(path, reason);
    if (this.unsaid) this.unsaid.push(path);
    else this.sayUnreadable([path]);
  }

  private sayUnreadable(paths: readonly string[]): void {
    if (paths.length === 0 || this.stopped) return;
    const named = paths.slice(0, namedPerNote).map((p) => `${p} (${this.unreadable.get(p) ?? 'unreadable'})`);
    const more = paths.length > namedPerNote ? `, and ${paths.length - namedPerNote} more` : '';
    const what = paths.length === 1 ? 'A workspace file cannot be read and is not indexed' : `${paths.length} workspace files cannot be read and are not indexed`;
    this.deps.note(`${what}: ${named.join(', ')}${more}.`);
  }

  private forget(key: string): void {
    this.indexed.delete(key);
    if (this.deps.isOpen(key)) return;
    try {
      this.deps.workspace.removeFile(key);
    } catch (error) {
      this.deps.health.failed('index', `Removing ${key} from the index`, error);
    }
  }

  private isIndexable(path: string): boolean {
    if (!isYamlName(path) && !isJsonName(path)) return false;
    for (const folder of this.folders.values()) {
      const rel = relative(folder, path);
      if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) continue;
      if (!rel.split(sep).some((part) => skippedDirectories.has(part))) return true;
    }
    return false;
  }

  private reportCap(): void {
    this.deps.health.problem(
      'index-cap',
      `More than ${indexLimits.maxFiles} YAML files in the workspace: only ${indexLimits.maxFiles} are indexed, so references to the others may not resolve`,
    );
  }
}

/** The file went away between listing and reading: nothing to say. */
function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'ELOOP' ? 'a symbolic link loop'
    : code === 'EISDIR' ? 'is a directory'
    : error instanceof Error ? error.message
    : String(error);
}

/**
 * Wires the index to the connection: the initial scan (call after `initialized`; it runs in the background, the
 * promise resolves when it is done),
 * watched-file events (registered dynamically when the client allows it) and workspace-folder changes.
 */
export function listenToWorkspaceFiles(
  connection: Connection,
  capabilities: ClientCapabilities,
  files: WorkspaceFiles,
  initialFolders: readonly WorkspaceFolder[],
): Promise<void> {
  connection.onDidChangeWatchedFiles((params) => void files.filesChanged(params.changes));
  if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
    connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,json,qcow2}' }] })
      .catch((error: unknown) => connection.console.warn(`Could not watch YAML files: ${String(error)}`));
  }
  if (capabilities.workspace?.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      files.removeFolders(event.removed);
      void files.addFolders(event.added);
    });
  }
  return files.addFolders(initialFolders);
}
