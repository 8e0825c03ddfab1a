/**
 * The explorer's line to the language server: typed custom requests and the `changed` notification, over the
 * LanguageClient that LanguageServer owns.
 */
import { Disposable } from 'vscode';
import type { LanguageServer } from './languageServer.js';

/** What the explorer features need of the language client. */
export interface ServerRequests {
  /** A custom request; rejects when the server is not running or the request fails. */
  request<R>(method: string, params: object): Promise<R>;
  /** A server → client notification; kept across server restarts. */
  onNotification<P>(method: string, handler: (params: P) => void): Disposable;
}

/** The requests of `server`'s LanguageClient. */
export function serverRequests(server: LanguageServer): ServerRequests {
  return {
    request: <R>(method: string, params: object) => server.request<R>(method, params),
    onNotification: <P>(method: string, handler: (params: P) => void) => server.onNotification(method, handler),
  };
}
