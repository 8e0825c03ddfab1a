/**
 * The operations' shared parts in the client: the read-only plan documents, the relay of the server's progress
 * notifications, the operations panel (`kubevirtStorage.showOperations`), and the deps every operation command
 * uses. Features call `runOperation` / `undoOperation`.
 */
import { commands, Disposable, type ExtensionContext } from 'vscode';
import { operationProgressNotification } from '../../protocol/operations.js';
import { commandIds } from '../commands.js';
import type { ClientDeps } from '../deps.js';
import { ProgressRelay, type OperationDeps } from './deps.js';
import { OperationDocuments } from './documents.js';
import { showOperations, type OpenPanel } from './runsPanel.js';

export function register(context: ExtensionContext, deps: ClientDeps): { disposable: Disposable; ops: OperationDeps; onChanged(listener: () => void): void } {
  const documents = new OperationDocuments();
  const progress = new ProgressRelay(deps.output);
  const ops: OperationDeps = {
    output: deps.output,
    server: deps.server,
    documents,
    cluster: () => deps.server.serverStatus?.cluster,
    progress,
    changed: () => {
      void commands.executeCommand(commandIds.refreshExplorer).then(undefined, () => undefined);
      void panel.refresh?.();
      for (const l of listeners) l();
    },
  };
  const listeners: (() => void)[] = [];
  const panel: OpenPanel = {};
  const disposable = Disposable.from(
    documents,
    deps.server.onNotification(operationProgressNotification, (p) => progress.deliver(p)),
    commands.registerCommand(commandIds.showOperations, () => showOperations(context, ops, panel)),
    { dispose: () => panel.host?.dispose() },
  );
  return { disposable, ops, onChanged: (l) => void listeners.push(l) };
}
