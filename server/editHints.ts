/**
 * Where each incremental change happened, remembered from the LSP change event so that the Workspace can
 * re-read only the YAML documents around it. TextDocuments hides the change ranges; its `update` hook sees them.
 */
import { TextDocumentContentChangeEvent, type TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { EditHint } from '../core/workspace.js';

export class EditHints {
  private readonly hints = new Map<string, EditHint | undefined>();

  /** The TextDocuments configuration that records hints as it applies changes. */
  readonly configuration: TextDocumentsConfiguration<TextDocument> = {
    create: TextDocument.create,
    update: (document, changes, version) => {
      this.hints.set(document.uri, hintOf(document, changes));
      return TextDocument.update(document, changes, version);
    },
  };

  /** The hint of the latest change of `uri`, once; undefined when it was not a single ranged change. */
  take(uri: string): EditHint | undefined {
    const hint = this.hints.get(uri);
    this.hints.delete(uri);
    return hint;
  }
}

function hintOf(before: TextDocument, changes: TextDocumentContentChangeEvent[]): EditHint | undefined {
  const change = changes.length === 1 ? changes[0] : undefined;
  if (!change || !TextDocumentContentChangeEvent.isIncremental(change)) return undefined;
  const start = before.offsetAt(change.range.start);
  const oldEnd = before.offsetAt(change.range.end);
  return { start, oldEnd, newEnd: start + change.text.length };
}
