/**
 * Completion: core's items (core/completion) as LSP items. Outside core's contexts the answer is null, so the
 * Red Hat YAML extension (or any other YAML server in the client) keeps the field to itself.
 */
import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver/node';
import type { CompletionItem as CoreItem, CompletionItemKind as CoreKind } from '../core/completion/index.js';
import type { ServerContext } from './context.js';
import { fileKey, isYamlDocument } from './uris.js';

/** Typing a space after `key:` opens the list of values; the editor asks on its own as the user types words. */
export const completionTriggerCharacters = [' '];

const kinds: Record<CoreKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  unit: CompletionItemKind.Unit,
  class: CompletionItemKind.Class,
  snippet: CompletionItemKind.Snippet,
};

/** One core item as an LSP item; the rank becomes a sortText that keeps core's order. */
export function toCompletionItem(item: CoreItem, defaultRange: Range): CompletionItem {
  const range = item.range ?? defaultRange;
  return {
    label: item.label,
    kind: kinds[item.kind],
    documentation: { kind: MarkupKind.Markdown, value: item.documentation },
    sortText: String(item.rank).padStart(5, '0'),
    textEdit: { range, newText: item.insertText ?? item.label },
    insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    insertTextMode: InsertTextMode.adjustIndentation,
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.filterText ? { filterText: item.filterText } : {}),
    ...(item.preselect ? { preselect: true } : {}),
    ...(item.additionalEdits && item.additionalEdits.length > 0 ? { additionalTextEdits: item.additionalEdits } : {}),
    ...(item.retrigger ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

/** Handles `textDocument/completion` for open YAML documents. */
export function registerCompletion(context: ServerContext): void {
  const { connection, documents, workspace, options, health } = context;
  connection.onCompletion((params): CompletionList | null => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isYamlDocument(document)) return null;
    try {
      const result = workspace.complete(fileKey(document.uri), params.position, options(), (id, error) => health.logOnce(`Completion provider ${id}`, error));
      health.problem('completion', undefined);
      if (result.items.length === 0) return null;
      const range = result.range ?? { start: params.position, end: params.position };
      return { isIncomplete: result.isIncomplete, items: result.items.map((i) => toCompletionItem(i, range)) };
    } catch (error) {
      health.failed('completion', 'Completion', error);
      return null;
    }
  });
}
