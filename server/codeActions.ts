/**
 * Quick fixes: each fix of a finding becomes a `quickfix` CodeAction attached to its diagnostic.
 */
import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type ClientCapabilities,
  type CodeActionParams,
  type Diagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix } from '../core/types.js';
import type { ServerContext } from './context.js';
import { diagnosticSource } from './diagnostics.js';
import { claimCodeActions } from './claimActions.js';
import { probeCodeActions } from './probeCodeAction.js';
import { webhookCodeActions } from './webhookCodeAction.js';

/** What the handler needs besides the request. */
export interface CodeActionContext {
  /** The client accepts `documentChanges` (versioned edits). */
  documentChanges: boolean;
  /** The findings last published (or pulled) for `uri`, when they are those of document `version`. */
  publishedFindings: (uri: string, version: number) => readonly Finding[] | undefined;
}

/** Quick fixes for our diagnostics in `params`, computed for the document's current version only. */
export function codeActions(params: CodeActionParams, document: TextDocument, context: CodeActionContext): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty)) {
    return [];
  }
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== diagnosticSource) continue;
    // Only fixes computed for the document's current text: others would edit the wrong text (fresh diagnostics are
    // on their way).
    const finding = context.publishedFindings(document.uri, document.version)?.find((f) => f.rule === diagnostic.code && sameRange(f.range, diagnostic.range));
    for (const fix of finding?.fixes ?? []) actions.push(toCodeAction(fix, diagnostic, document, context.documentChanges));
  }
  return actions;
}

function toCodeAction(fix: Fix, diagnostic: Diagnostic, document: TextDocument, documentChanges: boolean): CodeAction {
  const edit: WorkspaceEdit = documentChanges
    ? { documentChanges: [TextDocumentEdit.create({ uri: document.uri, version: document.version }, fix.edits)] }
    : { changes: { [document.uri]: fix.edits } };
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.preferred ? { isPreferred: true } : {}),
    edit,
  };
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** Handles `textDocument/codeAction` with the quick fixes of published diagnostics. */
export function registerCodeActions(
  context: ServerContext,
  capabilities: () => ClientCapabilities,
  publishedFindings: CodeActionContext['publishedFindings'],
): void {
  context.connection.onCodeAction(async (params) => {
    const document = context.documents.get(params.textDocument.uri);
    const documentChanges = capabilities().workspace?.workspaceEdit?.documentChanges === true;
    if (!document) return [];
    // The quick fixes, then "Deploy the restore-size webhook" on inflation findings (webhookCodeAction.ts), then
    // "Check with the cluster" on the restore-size findings (probeCodeAction.ts), then the claim actions at the
    // range (claimActions.ts).
    return [
      ...codeActions(params, document, { documentChanges, publishedFindings }),
      ...(await webhookCodeActions(params, context)),
      ...probeCodeActions(params, context),
      ...claimCodeActions(params, document, context, capabilities()),
    ];
  });
}
