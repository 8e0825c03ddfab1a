/**
 * The claim actions at the requested range (core/claimSpecs/actions.ts) as LSP code actions: Fill from
 * StorageProfile and the conversions as `refactor.rewrite`, Expand VolumeClaimTemplates as `refactor.extract`
 * (the new-file variant only for clients that can create files), Show CDI render as a client command.
 */
import {
  CodeActionKind,
  CreateFile,
  TextDocumentEdit,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClaimAction } from '../core/claimSpecs/actions.js';
import type { ServerContext } from './context.js';
import { fileKey, isYamlDocument } from './uris.js';

/** The client command (registered by the extension) that opens the render preview of a file. */
export const showCdiRenderCommand = 'kubevirtStorage.showCdiRender';

function wanted(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  return !only || only.some((k) => k === CodeActionKind.Empty || k === kind || kind.startsWith(`${k}.`));
}

function edit(document: TextDocument, action: ClaimAction, capabilities: ClientCapabilities): WorkspaceEdit | undefined {
  const ws = capabilities.workspace?.workspaceEdit;
  const versioned = ws?.documentChanges === true;
  if (!action.newFile) {
    return versioned ? { documentChanges: [TextDocumentEdit.create({ uri: document.uri, version: document.version }, action.edits)] } : { changes: { [document.uri]: action.edits } };
  }
  if (!versioned || !ws?.resourceOperations?.includes('create')) return undefined;
  const target = new URL(action.newFile.name, document.uri).href;
  const start = { line: 0, character: 0 };
  return {
    documentChanges: [
      CreateFile.create(target, { ignoreIfExists: false, overwrite: false }),
      TextDocumentEdit.create({ uri: target, version: null }, [{ range: { start, end: start }, newText: action.newFile.text }]),
      TextDocumentEdit.create({ uri: document.uri, version: document.version }, action.edits),
    ],
  };
}

/** Code actions for the claims at `params.range`. */
export function claimCodeActions(params: CodeActionParams, document: TextDocument, context: ServerContext, capabilities: ClientCapabilities): CodeAction[] {
  if (!isYamlDocument(document)) return [];
  const out: CodeAction[] = [];
  for (const a of context.workspace.claimActions(fileKey(document.uri), params.range, context.options())) {
    if (a.command === 'showCdiRender') {
      if (wanted(params, CodeActionKind.Refactor)) out.push({ title: a.title, kind: CodeActionKind.Refactor, command: { title: a.title, command: showCdiRenderCommand, arguments: [document.uri] } });
      continue;
    }
    const kind = a.kind === 'refactor.extract' ? CodeActionKind.RefactorExtract : CodeActionKind.RefactorRewrite;
    const e = wanted(params, kind) ? edit(document, a, capabilities) : undefined;
    if (e) out.push({ title: a.title, kind, edit: e });
  }
  return out;
}
