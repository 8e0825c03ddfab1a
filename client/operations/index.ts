/**
 * The operations' shared parts in the client: the read-only plan documents, the relay of the server's progress
 * notifications, and the deps every operation command uses. Features call `runOperation` / `undoOperation`.
 */
import { commands, Disposable, type ExtensionContext } from 'vscode';
import { operationProgressNotification } from '../../protocol/operations.js';
import { commandIds } from '../commands.js';
import type { ClientDeps } from '../deps.js';
import { ProgressRelay, type OperationDeps } from './deps.js';
import { OperationDocuments } from './documents.js';

export function register(_context: ExtensionContext, deps: ClientDeps): { disposable: Disposable; ops: OperationDeps } {
  const documents = new OperationDocuments();
  const progress = new ProgressRelay(deps.output);
  const ops: OperationDeps = {
    output: deps.output,
    server: deps.server,
    documents,
    cluster: () => deps.server.serverStatus?.cluster,
    progress,
    changed: () => void commands.executeCommand(commandIds.refreshExplorer).then(undefined, () => undefined),
  };
  const disposable = Disposable.from(documents, deps.server.onNotification(operationProgressNotification, (p) => progress.deliver(p)));
  return { disposable, ops };
}
