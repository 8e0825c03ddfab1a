/**
 * Read-only documents of the operations: `kubevirt-storage-plan:/<plan id>.yaml` (the exact manifests and
 * patches an operation will apply, with the dry run's outcome and diffs once known) and status pages such as
 * `kubevirt-storage-plan:/restore-size-webhook-<context>.md`. Their text is held here, by path, for as long as
 * the extension runs.
 */
import { EventEmitter, languages, Uri, window, workspace, type Disposable, type TextDocument, type TextDocumentContentProvider } from 'vscode';

/** The URI scheme of the operations' read-only documents. */
export const planScheme = 'kubevirt-storage-plan';

export class OperationDocuments implements TextDocumentContentProvider, Disposable {
  private readonly changed = new EventEmitter<Uri>();
  private readonly texts = new Map<string, string>();
  private readonly registration: Disposable;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.registration = workspace.registerTextDocumentContentProvider(planScheme, this);
  }

  /** `kubevirt-storage-plan:/<name>`; the tab's title is `name`. */
  uri(name: string): Uri {
    return Uri.from({ scheme: planScheme, path: `/${name}` });
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

  /** Closes the editor tabs showing `name` (a cancelled plan's preview). */
  async close(name: string): Promise<void> {
    const uri = this.uri(name).toString();
    const tabs = window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => (t.input as { uri?: Uri } | undefined)?.uri?.toString() === uri);
    if (tabs.length > 0) await window.tabGroups.close(tabs, true);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.texts.clear();
  }
}
