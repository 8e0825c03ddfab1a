/**
 * The status bar item: the language server's health (starting, running, degraded with the server's message,
 * stopped, failed) and what the analysis reads (the cluster's context and namespace, or the workspace only); a
 * click opens the log.
 */
import { Disposable, StatusBarAlignment, ThemeColor, window, type ExtensionContext } from 'vscode';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import type { ClusterStatus } from '../protocol/status.js';
import type { ServerHealth } from './languageServer.js';

/** Shows the server's health in the status bar for as long as the extension is active. */
export function register(_context: ExtensionContext, deps: ClientDeps): Disposable {
  const item = window.createStatusBarItem('kubevirtStorage.status', StatusBarAlignment.Right, 100);
  item.name = 'KubeVirt Storage';
  item.command = { command: commandIds.showOutput, title: 'Show Log' };
  const render = (health: ServerHealth): void => {
    const view = describeHealth(health);
    const running = health.kind === 'running' || health.kind === 'degraded';
    const scope = running ? clusterScope(deps.server.serverStatus?.cluster) : undefined;
    item.text = `${view.icon} KubeVirt Storage${scope ? `: ${scope}` : ''}`;
    // Plain text: the server's message may contain URIs and other markdown-significant characters.
    const cluster = running ? deps.server.serverStatus?.cluster?.message : undefined;
    item.tooltip = `KubeVirt Storage: ${view.detail}${cluster ? `\nCluster: ${cluster}` : ''}\nClick to show the log.`;
    item.accessibilityInformation = { label: `KubeVirt Storage: ${view.detail}` };
    item.backgroundColor = view.background ? new ThemeColor(view.background) : undefined;
  };
  render(deps.server.health);
  item.show();
  return Disposable.from(item, deps.server.onDidChangeHealth(render));
}

/** `lab/vms` while connected, `lab/vms (connecting)`, else `workspace only` (the analysis reads the files alone). */
export function clusterScope(cluster: ClusterStatus | undefined): string {
  if (!cluster) return 'workspace only';
  const where = [cluster.context, cluster.namespace].filter((x) => x).join('/');
  if (cluster.state === 'connected') return where || 'cluster';
  if (cluster.state === 'connecting') return `${where || 'cluster'} (connecting)`;
  return 'workspace only';
}

interface HealthView {
  icon: string;
  detail: string;
  background?: 'statusBarItem.warningBackground' | 'statusBarItem.errorBackground';
}

function describeHealth(health: ServerHealth): HealthView {
  switch (health.kind) {
    case 'starting':
      return { icon: '$(sync~spin)', detail: 'starting the language server' };
    case 'running':
      return { icon: '$(check)', detail: health.message };
    case 'degraded':
      return { icon: '$(warning)', detail: `degraded: ${health.message}`, background: 'statusBarItem.warningBackground' };
    case 'stopped':
      return { icon: '$(circle-slash)', detail: 'the language server is stopped' };
    case 'failed':
      return { icon: '$(error)', detail: health.message, background: 'statusBarItem.errorBackground' };
  }
}
