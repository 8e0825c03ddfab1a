/**
 * "Check with the cluster" (`kubevirtStorage.checkWithCluster`): from the code action and the hover link (with
 * `{uri, position}`), or the palette (the active editor's cursor). The server does the dry run; this shows its
 * answer next to the prediction in a read-only document, and a one-line summary.
 */
import { commands, ProgressLocation, window, type Disposable, type ExtensionContext } from 'vscode';
import { checkWithClusterRequest, type CheckWithClusterParams, type CheckWithClusterResult } from '../protocol/probe.js';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import { describeError, logError, showFailure } from './failures.js';
import type { OperationDeps } from './operations/deps.js';

function paramsFrom(arg: unknown): CheckWithClusterParams | undefined {
  const a = arg as Partial<CheckWithClusterParams> | undefined;
  if (a && typeof a.uri === 'string' && typeof a.position?.line === 'number' && typeof a.position.character === 'number') {
    return { uri: a.uri, position: { line: a.position.line, character: a.position.character } };
  }
  const editor = window.activeTextEditor;
  if (!editor) return undefined;
  const p = editor.selection.active;
  return { uri: editor.document.uri.toString(), position: { line: p.line, character: p.character } };
}

/** "The cluster agrees with the prediction for …" or what differs. */
export function summary(r: Extract<CheckWithClusterResult, { ok: true }>): string {
  const differ = r.checks.filter((c) => !c.agrees);
  if (differ.length === 0) return `Context ${r.context}: the cluster agrees with the prediction for ${r.checks.map((c) => c.subject).join('; ')}.`;
  return `Context ${r.context}: the cluster's answer differs (${differ.map((c) => `${c.subject}: ${c.differences.join(', ')}`).join('; ')}); the diagnostics now use it.`;
}

export function register(_context: ExtensionContext, deps: ClientDeps, ops: OperationDeps): Disposable {
  return commands.registerCommand(commandIds.checkWithCluster, async (arg: unknown) => {
    const params = paramsFrom(arg);
    if (!params) {
      await showFailure(deps.output, 'Check with the cluster: open a YAML manifest and put the cursor on a PersistentVolumeClaim or VirtualMachineRestore.');
      return;
    }
    try {
      const r = await window.withProgress({ location: ProgressLocation.Window, title: 'Asking the cluster (dry run)' }, () => deps.server.request(checkWithClusterRequest, params));
      if (!r.ok) {
        deps.output.warn(`Check with the cluster: ${r.message}`);
        void window.showWarningMessage(r.message);
        return;
      }
      deps.output.info(summary(r));
      await ops.documents.show(`cluster-check-${r.context}.md`, r.markdown, 'markdown');
      void window.showInformationMessage(summary(r));
    } catch (error) {
      logError(deps.output, 'Check with the cluster', error);
      await showFailure(deps.output, `check with the cluster failed: ${describeError(error)}`);
    }
  });
}
