/**
 * `kubevirtStorage.selectContext`: pick a kubeconfig context (listed by the server), switch the server to it,
 * and remember it in `kubevirtStorage.cluster.context`.
 */
import { ConfigurationTarget, ProgressLocation, window, workspace, type QuickPickItem } from 'vscode';
import {
  listContextsRequest,
  useContextRequest,
  type ListContextsResult,
  type UseContextParams,
  type UseContextResult,
} from '../protocol/contexts.js';
import { configurationSection } from '../protocol/status.js';
import type { ProtocolClient } from './languageServer.js';
import { describeError } from './failures.js';

const contextSetting = 'cluster.context';

interface ContextItem extends QuickPickItem {
  context: string;
}

/** Writes the chosen context where the user keeps it: the workspace when it sets one, else the user settings. */
async function remember(context: string): Promise<void> {
  const config = workspace.getConfiguration(configurationSection);
  const inspected = config.inspect<string>(contextSetting);
  const target = inspected?.workspaceFolderValue !== undefined ? ConfigurationTarget.WorkspaceFolder
    : inspected?.workspaceValue !== undefined ? ConfigurationTarget.Workspace
    : ConfigurationTarget.Global;
  await config.update(contextSetting, context, target);
}

/** Runs the picker; every outcome is told to the user (this is a command, not a tree callback). */
export async function selectContext(server: ProtocolClient): Promise<void> {
  let listed: ListContextsResult;
  try {
    listed = await server.request(listContextsRequest);
  } catch (error) {
    void window.showErrorMessage(`KubeVirt Storage: could not list the kubeconfig contexts: ${describeError(error)}`);
    return;
  }
  if (!listed.ok) {
    void window.showWarningMessage(`KubeVirt Storage: ${listed.message}`);
    return;
  }
  if (listed.contexts.length === 0) {
    void window.showWarningMessage(`KubeVirt Storage: the kubeconfig (${listed.sources.join(', ')}) defines no contexts`);
    return;
  }
  const items = listed.contexts.map((c): ContextItem => ({
    context: c.name,
    label: c.name,
    description: [c.name === listed.active ? 'in use' : undefined, c.name === listed.current ? 'current-context' : undefined].filter(Boolean).join(' · '),
    detail: [c.server ?? `cluster ${c.cluster}`, `user ${c.user}`, c.namespace ? `namespace ${c.namespace}` : undefined].filter(Boolean).join(' · '),
  }));
  const picked = await window.showQuickPick(items, { title: 'KubeVirt Storage: Select Cluster Context', placeHolder: `Contexts of ${listed.sources.join(', ')}`, matchOnDetail: true });
  if (!picked) return;
  const params: UseContextParams = { context: picked.context };
  let status: UseContextResult;
  try {
    status = await window.withProgress({ location: ProgressLocation.Notification, title: `KubeVirt Storage: connecting to ${picked.context}…` }, () =>
      server.request(useContextRequest, params),
    );
    await remember(picked.context);
  } catch (error) {
    void window.showErrorMessage(`KubeVirt Storage: could not switch to ${picked.context}: ${describeError(error)}`);
    return;
  }
  if (status.state === 'unavailable') void window.showWarningMessage(`KubeVirt Storage: ${picked.context}: ${status.message}`);
  else void window.setStatusBarMessage(`KubeVirt Storage: ${status.message}`, 5000);
}
