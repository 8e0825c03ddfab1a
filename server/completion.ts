/**
 * Completion: what core offers at a position in an open YAML document (a VolumeResize's StatefulSet, volumes,
 * storage classes and a size from the data in use).
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import type { ServerContext } from './context.js';
import { isYamlDocument } from './uris.js';

/** Handles `textDocument/completion` for open YAML documents. */
export function registerCompletion(context: ServerContext): void {
  const { connection, documents, workspace, options, health, keys } = context;
  connection.onCompletion((params): CompletionItem[] => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isYamlDocument(document)) return [];
    const key = keys.keyOf(document.uri);
    if (!workspace.has(key)) return [];
    try {
      const choices = workspace.completion(key, params.position, options());
      health.problem('completion', undefined);
      return choices.map((c, i) => ({
        label: c.label,
        kind: CompletionItemKind.Value,
        ...(c.detail ? { detail: c.detail } : {}),
        // In the order core gives them (the editor would sort them by label otherwise).
        sortText: String(i).padStart(4, '0'),
        textEdit: { range: c.range, newText: c.label },
      }));
    } catch (error) {
      health.failed('completion', 'Completion', error);
      return [];
    }
  });
}
