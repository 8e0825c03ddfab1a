/**
 * The KubeVirt Storage extension: starts the language server and registers the features. Thin glue only.
 */
import { window, type ExtensionContext } from 'vscode';
import { errorMessage, register as registerCommands } from './commands.js';
import type { ClientDeps } from './deps.js';
import { LanguageServer } from './languageServer.js';
import { register as registerStatusBar } from './statusBar.js';

let server: LanguageServer | undefined;

/** Starts the language server; a failure is shown to the user, and the restart command stays available. */
export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('KubeVirt Storage', { log: true });
  context.subscriptions.push(output);
  try {
    server = new LanguageServer(context, output);
    const deps: ClientDeps = { output, server };
    context.subscriptions.push(registerCommands(context, deps), registerStatusBar(context, deps));
    await server.start();
  } catch (error) {
    output.error(`Activation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void window.showErrorMessage(`KubeVirt Storage failed to start: ${errorMessage(error)}`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') output.show();
    });
  }
}

/** Stops the language server (VS Code waits for the returned promise). */
export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
