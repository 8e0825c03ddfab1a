/**
 * The KubeVirt Storage extension: starts the language server and registers the features. Thin glue only:
 * each feature is a module with `register(context, deps): Disposable`.
 */
import { window, type ExtensionContext } from 'vscode';
import { register as registerCommands } from './commands.js';
import { register as registerClaims } from './claims/index.js';
import { register as registerCredentials } from './credentials.js';
import type { ClientDeps } from './deps.js';
import { register as registerExamples } from './examples.js';
import { register as registerExplorer } from './explorer.js';
import { register as registerGcpImages } from './gcpImages.js';
import { describeError, logError, showFailure } from './failures.js';
import { LanguageServer } from './languageServer.js';
import { register as registerNavigation } from './navigation.js';
import { register as registerOperations } from './operations/index.js';
import { register as registerProbe } from './probe.js';
import { register as registerStatusBar } from './statusBar.js';
import { register as registerVolumeResize } from './volumeResize.js';
import { register as registerWebhook } from './webhook.js';

let server: LanguageServer | undefined;

/** Registers the features, then starts the server; a failure is logged and shown, and the commands stay available. */
export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('KubeVirt Storage', { log: true });
  context.subscriptions.push(output);
  output.info(`Activating ${context.extension.id} ${String(context.extension.packageJSON.version ?? '')}`.trimEnd());
  try {
    server = new LanguageServer(context, output);
    const deps: ClientDeps = { output, server };
    context.subscriptions.push(registerCommands(context, deps), registerStatusBar(context, deps), registerExamples(context, deps), registerCredentials(context, deps));
    context.subscriptions.push(registerExplorer(context, deps), registerNavigation(context, deps));
    const operations = registerOperations(context, deps);
    context.subscriptions.push(
      operations.disposable,
      registerWebhook(context, deps, operations.ops),
      registerGcpImages(context, deps, operations.ops),
      registerProbe(context, deps, operations.ops),
      registerClaims(context, deps, operations.ops),
    );
    const resize = registerVolumeResize(context, deps, operations.ops);
    operations.onChanged(() => resize.panels.refreshAll());
    context.subscriptions.push(resize.disposable);
    await server.start();
  } catch (error) {
    // A server failure is already logged, and its message says what failed; anything else is a bug here.
    if (server?.health.kind === 'failed') {
      void showFailure(output, describeError(error));
    } else {
      logError(output, 'Activation failed', error);
      void showFailure(output, `activation failed: ${describeError(error)}`);
    }
  }
}

/** Stops the language server (VS Code waits for the returned promise). */
export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
