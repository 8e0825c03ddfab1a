/**
 * `kubevirtStorage.selectContext`: pick a kubeconfig context (listed by the server), switch the server to it,
 * and remember it in `kubevirtStorage.cluster.context`.
 */
import { ConfigurationTarget, ProgressLocation, Uri, window, workspace, type QuickPickItem } from 'vscode';
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
const kubeconfigSetting = 'cluster.kubeconfig';
const chooseFile = 'Choose Kubeconfig File…';

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

/**
 * No kubeconfig was found: offer to pick one (kubeconfig files have no extension, so any file), remember it in
 * `kubevirtStorage.cluster.kubeconfig` (the server restarts its cluster from the setting), and list its contexts.
 */
async function offerKubeconfig(server: ProtocolClient, message: string): Promise<void> {
  const choice = await window.showWarningMessage('KubeVirt Storage: no kubeconfig found.', { modal: true, detail: `${message}\n\nChoose a kubeconfig file to read clusters from.` }, chooseFile);
  if (choice !== chooseFile) return;
  const home = process.env['HOME'];
  const picked = await window.showOpenDialog({ title: 'KubeVirt Storage: Choose Kubeconfig File', canSelectMany: false, openLabel: 'Use This Kubeconfig', ...(home ? { defaultUri: Uri.file(home) } : {}) });
  const file = picked?.[0];
  if (!file) return;
  await workspace.getConfiguration(configurationSection).update(kubeconfigSetting, file.fsPath, ConfigurationTarget.Global);
  await selectContext(server, false);
}

/** Runs the picker; every outcome is told to the user (this is a command, not a tree callback). */
export async function selectContext(server: ProtocolClient, offerFile = true): Promise<void> {
  let listed: ListContextsResult;
  try {
    listed = await server.request(listContextsRequest);
  } catch (error) {
    void window.showErrorMessage(`KubeVirt Storage: could not list the kubeconfig contexts: ${describeError(error)}`);
    return;
  }
  if (!listed.ok) {
    if (listed.reason === 'no-kubeconfig' && offerFile) await offerKubeconfig(server, listed.message);
    else void window.showWarningMessage(`KubeVirt Storage: ${listed.message}`);
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
