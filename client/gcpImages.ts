/**
 * `kubevirtStorage.showGcpImages`: the GCP golden-image checklist (webview/gcpImages/). It shows what the server
 * detects on the connected cluster (protocol/gcpImages.ts) and runs dry run, apply and undo of the `gcp-images`
 * operation through the one conversation (client/operations/), reading the cluster again after each; Verify
 * reads again and shows step 7.
 */
import { commands, Disposable, type ExtensionContext } from 'vscode';
import { gcpImagesDetectRequest } from '../protocol/gcpImages.js';
import type { ChecklistView, FromGcpImagesPage, ToGcpImagesPage } from '../webview/messages/gcpImages.js';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import { guardedCommand } from './failures.js';
import { runOperation, undoOperation, type ConversationEnd, type OperationWords } from './operations/conversation.js';
import type { OperationDeps } from './operations/deps.js';
import { openPage, type PageHost } from './webviews/panel.js';

export const gcpImagesWords: OperationWords = { operation: 'gcp-images', doing: 'Setting up the GCP golden-image workaround', verb: 'Apply' };

/** The end of a dry run or apply, in a sentence for the page (the user has been told in the editor too). */
export function endText(end: ConversationEnd): string {
  switch (end.stage) {
    case 'stopped':
      return 'Stopped: nothing was applied.';
    case 'nothing-to-do':
      return `${end.title}.`;
    case 'dry-run':
      return `Dry run: ${end.dryRun.summary} Nothing was applied.`;
    case 'applied':
      return end.run.message;
    case 'failed':
      return `Failed: ${end.message}`;
  }
}

export function register(context: ExtensionContext, deps: ClientDeps, ops: OperationDeps): Disposable {
  let host: PageHost<ToGcpImagesPage> | undefined;
  // The last action's outcome: the page is rebuilt whenever it is shown again (the plan preview takes its
  // place during a dry run or apply), so it is sent again with every read.
  let last: Extract<ToGcpImagesPage, { type: 'result' }> | undefined;

  const read = async (h: PageHost<ToGcpImagesPage>): Promise<ChecklistView | undefined> => {
    const cluster = ops.cluster();
    if (cluster?.state !== 'connected' || !cluster.context) {
      h.post({ type: 'notConnected', message: `No cluster is connected (${cluster?.message ?? 'the language server has not reported one yet'}).` });
      return undefined;
    }
    const r = await deps.server.request(gcpImagesDetectRequest, {});
    if (!r.ok) {
      h.post({ type: 'notConnected', message: `The workaround could not be read on ${cluster.context}: ${r.message}` });
      return undefined;
    }
    h.post({ type: 'show', view: r.view, readAt: new Date().toLocaleTimeString() });
    if (last) h.post(last);
    return r.view;
  };
  type Result = Extract<ToGcpImagesPage, { type: 'result' }>;

  /**
   * Runs `work` with the page's buttons disabled, then reads the cluster again and only then shows work's
   * outcome: the outcome never sits next to the steps as they were before it. A page the conversation's preview
   * has covered is shown again (it reads the cluster, and shows the outcome, when it is ready); when the read
   * fails the outcome is still shown.
   */
  const busyWhile = async (h: PageHost<ToGcpImagesPage>, work: () => Promise<Result | undefined>): Promise<void> => {
    h.post({ type: 'busy', busy: true });
    try {
      const result = await work();
      if (result) last = result;
      if (!h.panel.visible) h.reveal();
      else if (!(await read(h)) && result) h.post(result);
    } catch (error) {
      deps.output.error(`GCP golden-image checklist: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      h.post({ type: 'notConnected', message: 'The checklist could not be read (see the log).' });
    } finally {
      h.post({ type: 'busy', busy: false });
    }
  };

  const handle = async (m: FromGcpImagesPage, h: PageHost<ToGcpImagesPage>): Promise<void> => {
    switch (m.type) {
      case 'ready':
      case 'refresh':
        return busyWhile(h, async () => undefined);
      case 'dryRun':
        return busyWhile(h, async () => {
          const end = await runOperation(ops, { ...gcpImagesWords, dryRunOnly: true });
          return { type: 'result', action: 'dry-run', message: endText(end), ...(end.stage === 'dry-run' ? { outcomes: end.dryRun.outcomes } : {}) };
        });
      case 'apply':
        return busyWhile(h, async () => {
          const end = await runOperation(ops, gcpImagesWords);
          return { type: 'result', action: 'apply', message: endText(end) };
        });
      case 'verify': {
        // Step 7 is a read: the checklist's own request, which verifies again each time.
        h.post({ type: 'busy', busy: true });
        try {
          const v = await read(h);
          if (v) {
            last = { type: 'result', action: 'verify', message: v.verification.summary };
            h.post(last);
          }
        } finally {
          h.post({ type: 'busy', busy: false });
        }
        return;
      }
      case 'undo':
        return busyWhile(h, async () => {
          await undoOperation(ops, gcpImagesWords.operation);
          return { type: 'result', action: 'undo', message: 'Undo finished (see the notification for what was undone); the steps below are read again.' };
        });
      case 'showLog':
        return deps.output.show();
      default: {
        const never: never = m;
        return never;
      }
    }
  };

  const show = async (): Promise<void> => {
    if (host) return host.reveal();
    host = openPage<ToGcpImagesPage, FromGcpImagesPage>(context, 'gcpImages', 'KubeVirt Storage: GCP Golden Images', handle);
    host.onDidDispose(() => {
      host = undefined;
      last = undefined;
    });
  };

  return Disposable.from(commands.registerCommand(commandIds.showGcpImages, guardedCommand(deps.output, commandIds.showGcpImages, show)), { dispose: () => host?.dispose() });
}
