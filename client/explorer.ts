/**
 * The storage explorer: the `kubevirtStorage.explorer` tree (its own activity-bar container), its commands and
 * menus, read-only YAML of cluster objects, and the Kubernetes extension's Clusters tree when it is installed.
 * Data comes from the language server; nothing here reads the cluster.
 */
import { commands, Disposable, env, window, workspace, type ExtensionContext } from 'vscode';
import {
  explorerChangedNotification,
  explorerRestorePvcRequest,
  type ExplorerNode,
  type ExplorerRestorePvcParams,
  type ExplorerState,
} from '../protocol/explorer.js';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import type { ProtocolClient } from './languageServer.js';
import { selectContext } from './explorerContext.js';
import { registerKubernetesContribution } from './explorerKubernetes.js';
import { ExplorerProvider, explorerViewId } from './explorerTree.js';
import { objectScheme, ObjectYamlProvider } from './explorerYaml.js';
import { describeError, logError, showFailure } from './failures.js';

/** Context key for `viewsWelcome`: the root's state kind (`no-cluster`, `no-kubeconfig`, ...) or `unknown`. */
export const explorerStateKey = 'kubevirtStorage.explorer.state';

/** Opens a new untitled YAML editor with a PVC restoring the snapshot of `node`. */
async function newRestorePvc(server: ProtocolClient, node: ExplorerNode, deps: ClientDeps): Promise<void> {
  const ref = node.object;
  if (ref?.kind !== 'VolumeSnapshot' || !ref.namespace) return;
  const params: ExplorerRestorePvcParams = { namespace: ref.namespace, name: ref.name };
  const r = await server.request(explorerRestorePvcRequest, params);
  if (!r.ok) {
    void window.showWarningMessage(`KubeVirt Storage: ${r.message}`);
    return;
  }
  const document = await workspace.openTextDocument({ language: 'yaml', content: r.yaml });
  await window.showTextDocument(document, { preview: false });
  deps.output.info(`Opened a restore PVC for VolumeSnapshot ${ref.namespace}/${ref.name} as ${document.uri.toString()}`);
}

/**
 * A tree command's handler: the clicked node, else the selection; what it could not do is logged and shown
 * (tree commands are user actions).
 */
function onNode(deps: ClientDeps, id: string, selected: () => ExplorerNode | undefined, run: (node: ExplorerNode) => Promise<void> | void) {
  return async (node?: ExplorerNode): Promise<void> => {
    const target = node ?? selected();
    if (!target) {
      void window.showInformationMessage('KubeVirt Storage: select an item in the KubeVirt Storage explorer first');
      return;
    }
    try {
      await run(target);
    } catch (error) {
      logError(deps.output, `${id} on ${target.id}`, error);
      await showFailure(deps.output, `${id}: ${describeError(error)}`);
    }
  };
}

/** Registers the explorer view, its commands and content provider, and the Kubernetes extension contribution. */
export function register(_context: ExtensionContext, deps: ClientDeps): Disposable {
  const server: ProtocolClient = deps.server;
  const provider = new ExplorerProvider(server);
  const yaml = new ObjectYamlProvider(server);
  const view = window.createTreeView(explorerViewId, { treeDataProvider: provider, showCollapseAll: true });
  const selected = (): ExplorerNode | undefined => view.selection[0];
  const showState = (state: ExplorerState | undefined): void => {
    void commands.executeCommand('setContext', explorerStateKey, state?.kind ?? 'unknown');
    // Said once: an unreachable or connecting cluster is its root node's label and description; only a kubeconfig
    // that cannot be used (no nodes, the welcome view below) needs the message above the tree.
    view.message = state?.kind === 'no-kubeconfig' ? state.message : undefined;
  };
  showState(undefined);
  // A server that (re)starts or stops changes everything the tree shows; its other health changes do not.
  let serverUp = false;
  return Disposable.from(
    view,
    provider,
    yaml,
    workspace.registerTextDocumentContentProvider(objectScheme, yaml),
    provider.onDidChangeState(showState),
    server.onNotification(explorerChangedNotification, (params) => {
      provider.refresh(params.parent);
      yaml.refreshOpen();
    }),
    deps.server.onDidChangeHealth((health) => {
      const up = health.kind === 'running' || health.kind === 'degraded';
      if (up === serverUp) return;
      serverUp = up;
      provider.refresh();
    }),
    commands.registerCommand(commandIds.refreshExplorer, () => provider.refresh()),
    commands.registerCommand(commandIds.selectContext, () => selectContext(server)),
    commands.registerCommand(commandIds.loadMore, onNode(deps, commandIds.loadMore, () => undefined, (node) => provider.loadMore(node))),
    commands.registerCommand(commandIds.openObjectYaml, onNode(deps, commandIds.openObjectYaml, selected, (node) => (node.object ? yaml.open(node.object) : undefined))),
    commands.registerCommand(commandIds.copyRestoreSize, onNode(deps, commandIds.copyRestoreSize, selected, async (node) => {
      if (node.restoreSize === undefined) return;
      await env.clipboard.writeText(node.restoreSize);
      window.setStatusBarMessage(`KubeVirt Storage: copied restoreSize ${node.restoreSize}`, 3000);
    })),
    commands.registerCommand(commandIds.newRestorePvc, onNode(deps, commandIds.newRestorePvc, selected, (node) => newRestorePvc(server, node, deps))),
    registerKubernetesContribution(provider, deps.output),
  );
}
