/**
 * Read-only YAML of cluster objects: `kubevirt-storage:` documents whose content comes from the server's caches
 * (`kubevirtStorage/explorer/object`) and follows them while open.
 */
import { EventEmitter, languages, Uri, window, workspace, type Disposable, type TextDocumentContentProvider } from 'vscode';
import { explorerObjectRequest, objectDocumentPath, objectScheme, type ExplorerObjectRef } from '../protocol/explorer.js';
import type { ProtocolClient } from './languageServer.js';
import { describeError } from './failures.js';

export { objectScheme };

/** `kubevirt-storage:/<Kind>/<namespace>/<name>.yaml?<the reference as JSON>` (protocol/explorer.ts): a readable tab title, an exact reference. */
export function objectUri(ref: ExplorerObjectRef): Uri {
  return Uri.from({ scheme: objectScheme, path: objectDocumentPath(ref), query: JSON.stringify(ref) });
}

/** The reference of an object URI, or undefined when the URI is not one. */
export function objectRefOf(uri: Uri): ExplorerObjectRef | undefined {
  if (uri.scheme !== objectScheme) return undefined;
  try {
    const ref = JSON.parse(uri.query) as Partial<ExplorerObjectRef>;
    if (typeof ref.apiVersion !== 'string' || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
    return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, ...(typeof ref.namespace === 'string' ? { namespace: ref.namespace } : {}) };
  } catch {
    return undefined;
  }
}

/** Serves `kubevirt-storage:` documents; `refreshOpen()` re-reads those open (after the caches changed). */
export class ObjectYamlProvider implements TextDocumentContentProvider, Disposable {
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly server: ProtocolClient) {}

  async provideTextDocumentContent(uri: Uri): Promise<string> {
    const ref = objectRefOf(uri);
    if (!ref) return `# ${uri.toString()} does not name a cluster object\n`;
    try {
      const r = await this.server.request(explorerObjectRequest, ref);
      return r.ok ? r.yaml : `# ${r.message}\n`;
    } catch (error) {
      return `# The language server did not answer: ${describeError(error)}\n`;
    }
  }

  refreshOpen(): void {
    for (const doc of workspace.textDocuments) if (doc.uri.scheme === objectScheme && !doc.isClosed) this.changed.fire(doc.uri);
  }

  /** Opens the object read-only, as YAML, in a preview editor. */
  async open(ref: ExplorerObjectRef): Promise<void> {
    const doc = await workspace.openTextDocument(objectUri(ref));
    const yaml = doc.languageId === 'yaml' ? doc : await languages.setTextDocumentLanguage(doc, 'yaml');
    await window.showTextDocument(yaml, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
