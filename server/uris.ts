/**
 * Document identity. The Workspace is keyed by URI; a file read from disk and the same file opened in the editor
 * must get the same key even when the client spells its URI differently (percent-encoding, drive letters, `//`,
 * `./`, a `?query` or `#fragment`): `fileKey`. Yet two open documents are two documents, even when they are
 * spellings of one file (an editor may hold `file:///w/a.yaml` and `file:///w/a.yaml?x` as two buffers, with two
 * texts): `DocumentKeys` gives the first open document of a file the file's key and each further one a key of its
 * own, so that opening or closing one never clears or replaces another's analysis.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { datamoverRole } from '../core/datamover/layout.js';

const keys = new Map<string, string>();

/**
 * The key of the file a URI names: `file:` URIs in Node's canonical spelling (the WHATWG parser resolves `.` and
 * `..` segments and percent-encoding; the path's resolution collapses `//`; query and fragment are not part of a
 * file's path and are dropped), other schemes unchanged. Two different files never share one: the path is kept
 * byte for byte otherwise (case, `%3F` and `%23` stay characters of the name).
 */
export function fileKey(uri: string): string {
  let key = keys.get(uri);
  if (key === undefined) {
    key = uri;
    if (uri.startsWith('file:')) {
      try {
        key = pathToFileURL(fileURLToPath(uri)).href;
      } catch {
        // Not a local file URI (e.g. a UNC host on POSIX): keep it as sent.
      }
    }
    if (keys.size > 10_000) keys.clear();
    keys.set(uri, key);
  }
  return key;
}

/**
 * The Workspace key of each open document. The first open document of a file holds the file's key (so it replaces
 * the copy the workspace scan read from disk); another document of the same file, open at the same time under
 * another spelling, gets `<file key>#<n>`, which no file key can be (a file key's `#` is always encoded). A key
 * stays the document's until it is closed.
 */
export class DocumentKeys {
  private readonly byUri = new Map<string, string>();
  /** key → the URI of the open document holding it. */
  private readonly holders = new Map<string, string>();
  /** file key → how many open documents name that file. */
  private readonly perFile = new Map<string, number>();

  /** The key of a document being opened (or its key if it is open already). */
  open(uri: string): string {
    const known = this.byUri.get(uri);
    if (known !== undefined) return known;
    const file = fileKey(uri);
    let key = file;
    for (let n = 2; this.holders.has(key); n++) key = `${file}#${n}`;
    this.byUri.set(uri, key);
    this.holders.set(key, uri);
    this.perFile.set(file, (this.perFile.get(file) ?? 0) + 1);
    return key;
  }

  /** The key of an open document; for one not open, the key of its file. */
  keyOf(uri: string): string {
    return this.byUri.get(uri) ?? fileKey(uri);
  }

  /**
   * Forgets a closed document. `key` is the Workspace entry it held; `file` its file's key; `fileStillOpen` whether
   * another document of that file is open (then the disk copy must not come back).
   */
  close(uri: string): { key: string; file: string; fileStillOpen: boolean } {
    const file = fileKey(uri);
    const key = this.byUri.get(uri) ?? file;
    if (this.byUri.delete(uri)) {
      this.holders.delete(key);
      const left = (this.perFile.get(file) ?? 1) - 1;
      if (left > 0) this.perFile.set(file, left);
      else this.perFile.delete(file);
    }
    return { key, file, fileStillOpen: this.perFile.has(file) };
  }

  /** Whether any open document names the file with this key. */
  isFileOpen(file: string): boolean {
    return this.perFile.has(file);
  }
}

/** The local path of a `file:` URI, else undefined. */
export function localPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** True for `.yaml` / `.yml` names (any case). */
export function isYamlName(uriOrPath: string): boolean {
  return /\.ya?ml$/i.test(uriOrPath.replace(/[?#].*$/, ''));
}

/** Whether an open document is analysed: languageId `yaml`, or a `.yaml`/`.yml` URI. */
export function isYamlDocument(document: { uri: string; languageId: string }): boolean {
  return document.languageId === 'yaml' || isYamlName(document.uri);
}

/** True for `.json` names (any case). */
export function isJsonName(uriOrPath: string): boolean {
  return /\.json$/i.test(uriOrPath.replace(/[?#].*$/, ''));
}

/**
 * Whether an open document is analysed: a YAML document, or a JSON index file of OADP's kubevirt datamover (by its
 * place under a `…-kubevirt-datamover/` prefix, or by its content).
 */
export function isAnalysedDocument(document: { uri: string; languageId: string; getText(): string }): boolean {
  if (isYamlDocument(document)) return true;
  return (document.languageId === 'json' || isJsonName(document.uri)) && datamoverRole(fileKey(document.uri), document.getText()) !== undefined;
}
