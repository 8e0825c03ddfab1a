/**
 * Credential plugins: the language server asks before it uses a kubeconfig user whose credentials come from an
 * `exec` command (connecting would run it). The user is asked once per kubeconfig and command; an approval is
 * remembered across sessions (globalState), a refusal for this session, so that reconnects do not ask again.
 */
import { window, type Disposable, type ExtensionContext } from 'vscode';
import { approveCredentialPluginRequest, type ApproveCredentialPluginParams } from '../protocol/credentials.js';
import type { ClientDeps } from './deps.js';

const APPROVED_KEY = 'kubevirtStorage.approvedCredentialPlugins';

/** One kubeconfig + command (+ arguments): what an approval covers. */
export function approvalKey(p: Pick<ApproveCredentialPluginParams, 'kubeconfig' | 'command' | 'args'>): string {
  return JSON.stringify([p.kubeconfig, p.command, ...p.args]);
}

export function register(context: ExtensionContext, deps: ClientDeps): Disposable {
  const refused = new Set<string>();
  const asking = new Map<string, Promise<boolean>>();
  const ask = async (p: ApproveCredentialPluginParams): Promise<boolean> => {
    const key = approvalKey(p);
    const plugin = [p.command, ...p.args].join(' ');
    const choice = await window.showWarningMessage(
      `Run the credential plugin "${p.command}" of your kubeconfig?`,
      {
        modal: true,
        detail: `Context ${p.context} (user ${p.user}) of ${p.kubeconfig} gets its credentials by running:\n\n${plugin}\n\nKubeVirt Storage connects to the cluster only if you allow this command to run on this machine. Allow it only if you trust this kubeconfig. The answer is remembered for this kubeconfig and command.`,
      },
      'Allow',
      "Don't Allow",
    );
    if (choice === 'Allow') {
      const approved = context.globalState.get<string[]>(APPROVED_KEY, []);
      await context.globalState.update(APPROVED_KEY, [...new Set([...approved, key])]);
      deps.output.info(`Credential plugin allowed: ${plugin} (${p.kubeconfig})`);
      return true;
    }
    refused.add(key);
    deps.output.info(`Credential plugin not allowed: ${plugin} (${p.kubeconfig}); not connecting`);
    return false;
  };
  return deps.server.onRequest(approveCredentialPluginRequest, async (p) => {
    const key = approvalKey(p);
    if (context.globalState.get<string[]>(APPROVED_KEY, []).includes(key)) return { approved: true };
    if (refused.has(key)) return { approved: false };
    // One question at a time per plugin, however many reconnects ask.
    let pending = asking.get(key);
    if (!pending) {
      pending = ask(p).finally(() => asking.delete(key));
      asking.set(key, pending);
    }
    return { approved: await pending };
  });
}
