/**
 * `kubevirtStorage.showReferences`: what a code lens runs ("restored by 3 PVCs"): the references the language
 * server finds at a position, in VS Code's references peek. The server names the command only because this
 * client says it has it (initializationOptions.clientCommands, languageServer.ts).
 */
import { commands, Position, Uri, type Disposable, type ExtensionContext, type Location } from 'vscode';
import { commandIds } from './commands.js';
import type { ClientDeps } from './deps.js';
import { describeError, logError } from './failures.js';

export function register(_context: ExtensionContext, deps: ClientDeps): Disposable {
  return commands.registerCommand(commandIds.showReferences, async (uri: unknown, at: unknown) => {
    const pos = at as { line?: unknown; character?: unknown } | undefined;
    if (typeof uri !== 'string' || typeof pos?.line !== 'number' || typeof pos.character !== 'number') return;
    try {
      const target = Uri.parse(uri);
      const position = new Position(pos.line, pos.character);
      const locations = await commands.executeCommand<Location[]>('vscode.executeReferenceProvider', target, position);
      await commands.executeCommand('editor.action.showReferences', target, position, locations ?? []);
    } catch (error) {
      logError(deps.output, `Showing the references at ${uri}`, error);
      deps.output.warn(`Could not show the references: ${describeError(error)}`);
    }
  });
}
