/**
 * Credential plugins: before the language server uses a kubeconfig user whose credentials come from an `exec`
 * plugin (a command the kubeconfig names, run on this machine), it asks the client
 * (`kubevirtStorage/approveCredentialPlugin`, server → client). The VS Code extension asks the user once per
 * kubeconfig and command and remembers the answer; a client that does not implement the request denies (the
 * server then says so in its status, and `kubevirtStorage.cluster.allowedCredentialPlugins` in user settings
 * approves commands without asking).
 */
import { RequestType } from 'vscode-languageserver-protocol';

export interface ApproveCredentialPluginParams {
  /** The kubeconfig file(s) the user entry comes from, as read (KUBECONFIG's list joined by the path delimiter). */
  kubeconfig: string;
  context: string;
  user: string;
  command: string;
  args: string[];
}

export interface ApproveCredentialPluginResult {
  approved: boolean;
}

export const approveCredentialPluginRequest = new RequestType<ApproveCredentialPluginParams, ApproveCredentialPluginResult, void>('kubevirtStorage/approveCredentialPlugin');
