/**
 * The status bar item: the language server's health; a click opens the output channel.
 */
import { Disposable, StatusBarAlignment, ThemeColor, window, type ExtensionContext } from 'vscode';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import type { ServerHealth } from './languageServer.js';

/** Shows the server's health in the status bar for as long as the extension is active. */
export function register(_context: ExtensionContext, deps: ClientDeps): Disposable {
  const item = window.createStatusBarItem('kubevirtStorage.status', StatusBarAlignment.Right, 100);
  item.name = 'KubeVirt Storage';
  item.command = commandIds.showOutput;
  const render = (health: ServerHealth): void => {
    const view = describeHealth(health);
    item.text = `${view.icon} KubeVirt Storage`;
    // Plain text: the server's message may contain URIs and other markdown-significant characters.
    item.tooltip = `KubeVirt Storage: ${view.detail}\nClick to show the output.`;
    item.backgroundColor = view.background ? new ThemeColor(view.background) : undefined;
  };
  render(deps.server.health);
  item.show();
  return Disposable.from(item, deps.server.onDidChangeHealth(render));
}

function describeHealth(health: ServerHealth): { icon: string; detail: string; background?: string } {
  switch (health.kind) {
    case 'starting':
      return { icon: '$(sync~spin)', detail: 'starting the language server' };
    case 'stopped':
      return { icon: '$(error)', detail: 'the language server is not running', background: 'statusBarItem.errorBackground' };
    case 'running':
      return health.status.state === 'ok'
        ? { icon: '$(check)', detail: health.status.message }
        : { icon: '$(warning)', detail: health.status.message, background: 'statusBarItem.warningBackground' };
  }
}
