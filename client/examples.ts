/**
 * `kubevirtStorage.openExamples`: opens the bundled example (media/examples/, shipped in the .vsix) as a new
 * untitled YAML document, so the user can edit it freely without touching the installed extension.
 */
import { commands, Uri, window, workspace, type Disposable, type ExtensionContext } from 'vscode';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import { describeError, logError, showFailure } from './failures.js';

/** The seed: a VM TPM persistent-state restore of a 20Mi snapshot on NetApp Trident, with its cluster side. */
const exampleFile = ['media', 'examples', 'vm-restore-tpm.yaml'] as const;

/** Registers `kubevirtStorage.openExamples`. */
export function register(context: ExtensionContext, deps: ClientDeps): Disposable {
  return commands.registerCommand(commandIds.openExamples, async () => {
    const uri = Uri.joinPath(context.extensionUri, ...exampleFile);
    try {
      const content = Buffer.from(await workspace.fs.readFile(uri)).toString('utf8');
      const document = await workspace.openTextDocument({ language: 'yaml', content });
      await window.showTextDocument(document, { preview: false });
      deps.output.info(`Opened the example ${exampleFile.join('/')} as ${document.uri.toString()}`);
    } catch (error) {
      logError(deps.output, `Opening the example ${uri.toString()} failed`, error);
      await showFailure(deps.output, `could not open the example: ${describeError(error)}`);
    }
  });
}
