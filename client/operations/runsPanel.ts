/**
 * `kubevirtStorage.showOperations`: a panel (webview/runs/) with every operation's state on the connected
 * cluster and its runs in the undo journal, with Undo per run through the one conversation.
 */
import { workspace, type ExtensionContext } from 'vscode';
import { operationsListRequest, operationStatusRequest } from '../../protocol/operations.js';
import type { FromRunsPanel, OperationRow, ToRunsPanel } from '../../webview/messages/runs.js';
import { openPage, type PageHost } from '../webviews/panel.js';
import { undoOperation } from './conversation.js';
import type { OperationDeps } from './deps.js';

const undoneStates = new Set(['undone']);

async function rows(deps: OperationDeps, journalNamespace: string | undefined): Promise<{ operations: OperationRow[]; namespace: string }> {
  const ops = await deps.server.request(operationsListRequest);
  const operations: OperationRow[] = [];
  let namespace = journalNamespace || 'kubevirt-storage-tools';
  for (const op of ops) {
    const s = await deps.server.request(operationStatusRequest, { operation: op.id, ...(journalNamespace ? { journalNamespace } : {}) });
    if (!s.ok) {
      operations.push({ id: op.id, title: op.title, details: [], runs: [], error: s.message });
      continue;
    }
    namespace = s.journalNamespace;
    // An operation shows its own runs: the status of one lists the runs it also undoes (a rotation with the deploy).
    const runs = s.runs.filter((r) => r.operation === op.id).map((r) => ({ ...r, undoable: !undoneStates.has(r.state) }));
    // Operations on one thing (deploy, uninstall, rotate) share its status: say it once, on the first.
    const said = operations.some((o) => o.status === s.summary);
    operations.push({ id: op.id, title: op.title, ...(said ? {} : { status: s.summary }), details: said ? [] : s.details, runs });
  }
  return { operations, namespace };
}

/** The open panel, if any, and how to read it again (after an apply or undo elsewhere). */
export interface OpenPanel {
  host?: PageHost<ToRunsPanel>;
  refresh?: () => Promise<void>;
}

export function showOperations(context: ExtensionContext, deps: OperationDeps, current: OpenPanel): void {
  if (current.host) return current.host.reveal();
  const journalNamespace = () => workspace.getConfiguration().get<string>('kubevirtStorage.operations.journalNamespace', '').trim() || undefined;
  const refresh = async (host: PageHost<ToRunsPanel>): Promise<void> => {
    const cluster = deps.cluster();
    if (cluster?.state !== 'connected' || !cluster.context) {
      host.post({ type: 'notConnected', message: `No cluster is connected (${cluster?.message ?? 'the language server has not reported one yet'}).` });
      return;
    }
    host.post({ type: 'busy', busy: true });
    try {
      const r = await rows(deps, journalNamespace());
      host.post({ type: 'show', context: cluster.context, journalNamespace: r.namespace, operations: r.operations, readAt: new Date().toLocaleTimeString() });
    } catch (error) {
      deps.output.error(`Reading the operations for the panel failed: ${error instanceof Error ? error.message : String(error)}`);
      host.post({ type: 'notConnected', message: 'The language server could not read the operations (see the log).' });
    } finally {
      host.post({ type: 'busy', busy: false });
    }
  };
  const host = openPage<ToRunsPanel, FromRunsPanel>(context, 'runs', 'KubeVirt Storage: Operations', async (m, h) => {
    switch (m.type) {
      case 'ready':
      case 'refresh':
        return refresh(h);
      case 'undo':
        await undoOperation(deps, m.operation, m.runId);
        return refresh(h);
      case 'showLog':
        return deps.output.show();
      default: {
        const never: never = m;
        return never;
      }
    }
  });
  current.host = host;
  current.refresh = () => refresh(host);
  host.onDidDispose(() => {
    current.host = undefined;
    current.refresh = undefined;
  });
}
