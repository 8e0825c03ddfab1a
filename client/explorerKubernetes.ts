/**
 * When the Kubernetes extension (ms-kubernetes-tools.vscode-kubernetes-tools) is installed: a "KubeVirt Storage"
 * folder under the active context of its Clusters tree, showing what our explorer shows. The API package is
 * imported only then (importing it activates that extension); without the extension nothing happens.
 */
import { extensions, ThemeIcon, TreeItem, TreeItemCollapsibleState, type Disposable, type LogOutputChannel } from 'vscode';
import type { ClusterExplorerV1 } from 'vscode-kubernetes-tools-api';
import type { ExplorerNode } from '../protocol/explorer.js';
import { treeItemOf, type ExplorerProvider } from './explorerTree.js';
import { describeError } from './failures.js';

export const kubernetesExtensionId = 'ms-kubernetes-tools.vscode-kubernetes-tools';

type Node = ClusterExplorerV1.Node;

function wrap(provider: ExplorerProvider, node: ExplorerNode): Node {
  return {
    getTreeItem: () => treeItemOf(node, true),
    getChildren: async () => (await provider.getChildren(node)).map((child) => wrap(provider, child)),
  };
}

/** The folder under the context named `context` in the Kubernetes extension's tree. */
function folder(provider: ExplorerProvider, context: string): Node {
  return {
    getTreeItem: () => {
      const item = new TreeItem('KubeVirt Storage', TreeItemCollapsibleState.Collapsed);
      item.iconPath = new ThemeIcon('database');
      item.tooltip = 'Storage classes, VolumeSnapshots, PVCs and VM snapshots at risk, from the KubeVirt Storage language server';
      return item;
    },
    getChildren: async () => {
      const root = await provider.getChildren();
      const ours = provider.state;
      // Our context node is the Kubernetes extension's context node: show what is under it.
      const contextNode = root.find((n) => n.kind === 'context');
      const nodes = contextNode ? await provider.getChildren(contextNode) : root;
      const other: ExplorerNode[] =
        ours?.kind === 'connected' && ours.context !== context
          ? [{ id: '!other-context', kind: 'state', label: `Showing context ${ours.context}`, tooltip: 'KubeVirt Storage follows its own context: "KubeVirt Storage: Select Cluster Context" switches it.', icon: 'info', collapsible: 'none' }]
          : [];
      const empty: ExplorerNode[] = nodes.length === 0 ? [{ id: '!none', kind: 'state', label: ours?.message ?? 'No cluster connected', icon: 'info', collapsible: 'none' }] : [];
      return [...other, ...nodes, ...empty].map((n) => wrap(provider, n));
    },
  };
}

/**
 * Contributes to the Kubernetes extension's Clusters tree once it is installed. Its tree is not refreshed on
 * our changes (a refresh re-runs kubectl for every expanded node); the folder reads afresh when expanded.
 */
export function registerKubernetesContribution(provider: ExplorerProvider, output: LogOutputChannel): Disposable {
  let started = false;
  const attempt = async (): Promise<void> => {
    if (started || !extensions.getExtension(kubernetesExtensionId)) return;
    started = true;
    try {
      const k8s = await import('vscode-kubernetes-tools-api');
      const api = await k8s.extension.clusterExplorer.v1;
      if (!api.available) {
        output.info(`The Kubernetes extension's cluster explorer API is not available (${api.reason}); not contributing to it`);
        return;
      }
      api.api.registerNodeContributor({
        contributesChildren: (parent) => parent?.nodeType === 'context',
        getChildren: async (parent) => (parent?.nodeType === 'context' ? [folder(provider, parent.name)] : []),
      });
      output.info('Contributing a "KubeVirt Storage" folder to the Kubernetes extension\'s Clusters tree');
    } catch (error) {
      output.warn(`Could not contribute to the Kubernetes extension's Clusters tree: ${describeError(error)}`);
    }
  };
  void attempt();
  return extensions.onDidChange(() => void attempt());
}
