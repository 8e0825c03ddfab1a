/**
 * Claims and CDI's rendering in the client: the render preview panel (`kubevirtStorage.showCdiRender`, also the
 * server's "Show CDI render" code action) and "Create PVC…" (`kubevirtStorage.createPvc`, through the one
 * operations conversation).
 */
import { commands, Disposable, type ExtensionContext, type Uri } from 'vscode';
import { commandIds } from '../commands.js';
import type { ClientDeps } from '../deps.js';
import type { OperationDeps } from '../operations/deps.js';
import { CdiRenderPanel } from './cdiRenderPanel.js';
import { createPvc } from './createPvc.js';

export function register(context: ExtensionContext, deps: ClientDeps, ops: OperationDeps): Disposable {
  const panel = new CdiRenderPanel(context, deps);
  return Disposable.from(
    panel,
    commands.registerCommand(commandIds.showCdiRender, (uri?: string | Uri) => panel.show(uri)),
    commands.registerCommand(commandIds.createPvc, () => createPvc(deps, ops)),
  );
}
