/**
 * Read-only documents of the webhook commands: `kubevirt-storage-webhook:/<plan id>.yaml` (the exact manifests
 * a deploy will apply, with the dry run's outcome on top) and `kubevirt-storage-webhook:/status.md`. Their text
 * is held here, by path, for as long as the extension runs.
 */
import { EventEmitter, languages, Uri, window, workspace, type Disposable, type TextDocument, type TextDocumentContentProvider } from 'vscode';

/** The URI scheme of the webhook's read-only documents. */
export const webhookScheme = 'kubevirt-storage-webhook';

export class WebhookDocuments implements TextDocumentContentProvider, Disposable {
  private readonly changed = new EventEmitter<Uri>();
  private readonly texts = new Map<string, string>();
  private readonly registration: Disposable;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.registration = workspace.registerTextDocumentContentProvider(webhookScheme, this);
  }

  /** `kubevirt-storage-webhook:/<name>`; the tab's title is `name`. */
  uri(name: string): Uri {
    return Uri.from({ scheme: webhookScheme, path: `/${name}` });
  }

  provideTextDocumentContent(uri: Uri): string {
    return this.texts.get(uri.path) ?? `# ${uri.path.slice(1)} is no longer available: run the command again.\n`;
  }

  /** Sets the text of `name` (updating an open editor) and shows it beside the active editor. */
  async show(name: string, text: string, language: 'yaml' | 'markdown'): Promise<TextDocument> {
    const uri = this.set(name, text);
    const opened = await workspace.openTextDocument(uri);
    const doc = opened.languageId === language ? opened : await languages.setTextDocumentLanguage(opened, language);
    await window.showTextDocument(doc, { preview: false, preserveFocus: false });
    return doc;
  }

  /** Replaces the text of `name`; an open editor follows. */
  set(name: string, text: string): Uri {
    const uri = this.uri(name);
    this.texts.set(uri.path, text);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.texts.clear();
  }
}
