/**
 * Commands of the "KubeVirt Storage" category (titles and category are in package.json).
 */
import { commands, Disposable, window, type ExtensionContext } from 'vscode';
import type { ClientDeps } from './deps.js';

/** Command ids, as contributed in package.json. */
export const commandIds = {
  restartServer: 'kubevirtStorage.restartServer',
  showOutput: 'kubevirtStorage.showOutput',
} as const;

/** Registers the restart and show-output commands. */
export function register(_context: ExtensionContext, deps: ClientDeps): Disposable {
  return Disposable.from(
    commands.registerCommand(commandIds.restartServer, async () => {
      try {
        await deps.server.restart();
        deps.output.info('Language server restarted');
      } catch (error) {
        deps.output.error(`Restarting the language server failed: ${errorMessage(error)}`);
        void window.showErrorMessage(`KubeVirt Storage: could not restart the language server: ${errorMessage(error)}`);
      }
    }),
    commands.registerCommand(commandIds.showOutput, () => deps.output.show()),
  );
}

/** A one-line description of an error for messages. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
