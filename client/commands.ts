/**
 * Commands of the "KubeVirt Storage" category (titles and category are in package.json's
 * `contributes.commands`; every id here is contributed there, and every contributed command is registered).
 */
import { commands, Disposable, type ExtensionContext } from 'vscode';
import type { ClientDeps } from './deps.js';
import { describeError, showFailure } from './failures.js';

/** Command ids, as contributed in package.json. */
export const commandIds = {
  restartServer: 'kubevirtStorage.restartServer',
  showOutput: 'kubevirtStorage.showOutput',
  openExamples: 'kubevirtStorage.openExamples',
  // The storage explorer's (registered by explorer.ts).
  refreshExplorer: 'kubevirtStorage.refreshExplorer',
  selectContext: 'kubevirtStorage.selectContext',
  openObjectYaml: 'kubevirtStorage.openObjectYaml',
  copyRestoreSize: 'kubevirtStorage.copyRestoreSize',
  newRestorePvc: 'kubevirtStorage.newRestorePvc',
  loadMore: 'kubevirtStorage.loadMore',
  // The restore-size webhook's (registered by webhook.ts).
  deployWebhook: 'kubevirtStorage.deployWebhook',
  webhookStatus: 'kubevirtStorage.webhookStatus',
  uninstallWebhook: 'kubevirtStorage.uninstallWebhook',
  rotateWebhookCertificate: 'kubevirtStorage.rotateWebhookCertificate',
  undoWebhook: 'kubevirtStorage.undoWebhook',
  // The operations' (registered by operations/index.ts).
  showOperations: 'kubevirtStorage.showOperations',
  // "Check with the cluster" (registered by probe.ts).
  checkWithCluster: 'kubevirtStorage.checkWithCluster',
  // The GCP golden-image workaround's checklist (registered by gcpImages.ts).
  showGcpImages: 'kubevirtStorage.showGcpImages',
  // VolumeResize migrations' (registered by volumeResize.ts).
  startVolumeResize: 'kubevirtStorage.startVolumeResize',
  showResizeProgress: 'kubevirtStorage.showResizeProgress',
  rollbackVolumeResize: 'kubevirtStorage.rollbackVolumeResize',
  deleteVolumeResize: 'kubevirtStorage.deleteVolumeResize',
  // The code lenses' "restored by …" (registered by navigation.ts).
  showReferences: 'kubevirtStorage.showReferences',
  // Claims and CDI's rendering (registered by claims/index.ts).
  showCdiRender: 'kubevirtStorage.showCdiRender',
  createPvc: 'kubevirtStorage.createPvc',
} as const;

/** Registers the restart and show-output commands (openExamples is registered by examples.ts). */
export function register(_context: ExtensionContext, deps: ClientDeps): Disposable {
  return Disposable.from(
    commands.registerCommand(commandIds.restartServer, async () => {
      try {
        await deps.server.restart();
        deps.output.info('Language server restarted');
      } catch (error) {
        // LanguageServer has logged the failure, says what failed, and shows it in the status bar.
        await showFailure(deps.output, describeError(error));
      }
    }),
    commands.registerCommand(commandIds.showOutput, () => deps.output.show()),
  );
}
