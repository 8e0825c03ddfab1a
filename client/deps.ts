/**
 * What the client's features share. Each feature exports `register(context, deps): Disposable`.
 */
import type { LogOutputChannel } from 'vscode';
import type { LanguageServer } from './languageServer.js';

export interface ClientDeps {
  /** The one output channel: client logs and the server's log and trace. */
  output: LogOutputChannel;
  server: LanguageServer;
}
