/**
 * "Check with the cluster" on the restore-size diagnostics, while a cluster is connected: the client command sends
 * `kubevirtStorage/checkWithCluster` for the diagnostic's position and shows the API server's answer next to the
 * prediction.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import type { ServerContext } from './context.js';
import { diagnosticSource } from './diagnostics.js';
import { checkWithClusterCommand, checkWithClusterTitle } from './probe.js';

/** The diagnostics whose figures the cluster's answer decides. */
const offeredOn = new Set(['cdi-restore-inflation', 'vm-restore-inflation', 'restore-size-too-small', 'restore-size-exceeded']);

export function probeCodeActions(params: CodeActionParams, context: ServerContext): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty)) return [];
  if (context.cluster()?.facts.state.kind !== 'connected') return [];
  return params.context.diagnostics
    .filter((d) => d.source === diagnosticSource && offeredOn.has(String(d.code)))
    .map((diagnostic) => ({
      title: checkWithClusterTitle,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { command: checkWithClusterCommand, title: checkWithClusterTitle, arguments: [{ uri: params.textDocument.uri, position: diagnostic.range.start }] },
    }));
}
