/**
 * Document identity. The Workspace is keyed by URI; a file read from disk and the same file opened in the editor
 * must get the same key even when the client spells its URI differently (percent-encoding, drive letters).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { datamoverRole } from '../core/datamover/layout.js';

const keys = new Map<string, string>();

/** The Workspace key of a document URI: `file:` URIs in Node's canonical spelling, other schemes unchanged. */
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
