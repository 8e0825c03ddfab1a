/**
 * Failures the user has to see: one error message with a "Show Log" action; the details go to the log.
 */
import { window, type LogOutputChannel } from 'vscode';

const showLog = 'Show Log';

/** A one-line description of an error for messages. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Logs an unexpected error with its stack, when it has one. */
export function logError(output: LogOutputChannel, what: string, error: unknown): void {
  output.error(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}

/** Shows `message` as an error; "Show Log" opens the output channel. Resolves when the message is dismissed. */
export async function showFailure(output: LogOutputChannel, message: string): Promise<void> {
  const choice = await window.showErrorMessage(`KubeVirt Storage: ${message}`, showLog);
  if (choice === showLog) output.show();
}

/** A command's handler: a bug in it is logged with its stack and shown once. */
export function guardedCommand(output: LogOutputChannel, id: string, run: (...args: unknown[]) => Promise<unknown>): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    try {
      await run(...args);
    } catch (error) {
      logError(output, id, error);
      await showFailure(output, `${id}: ${describeError(error)}`);
    }
  };
}
