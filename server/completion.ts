/**
 * Completion: the GCP PD CSI driver's parameter keys and values in PD StorageClasses and VolumeSnapshotClasses
 * (core/gcp/completion.ts), on the document's current text (it is seldom valid YAML mid-word).
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import { pdParameterCompletions } from '../core/gcp/completion.js';
import type { ServerContext } from './context.js';
import { isYamlDocument } from './uris.js';

/** Characters after which the client asks again without a word typed: the value after `key:`. */
export const completionTriggers = [':'];

/** Handles `textDocument/completion` for open YAML documents. */
export function registerCompletion(context: ServerContext): void {
  const { connection, documents, health } = context;
  connection.onCompletion((params): CompletionItem[] => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isYamlDocument(document)) return [];
    try {
      const items = pdParameterCompletions(document.getText(), params.position).map((c, i) => ({
        label: c.label,
        kind: c.what === 'key' ? CompletionItemKind.Property : CompletionItemKind.Value,
        detail: c.detail,
        // The table's order (the common keys first), not the alphabet.
        sortText: String(i).padStart(3, '0'),
        textEdit: { range: c.range, newText: c.insertText },
      }));
      health.problem('completion', undefined);
      return items;
    } catch (error) {
      health.failed('completion', 'Completion', error);
      return [];
    }
  });
}
