/**
 * What the handler families share: the connection, the open documents, the analysis Workspace and health.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeOptions, Workspace } from '../core/workspace.js';
import type { Health } from './status.js';

/** The server's shared state, created once in main.ts. */
export interface ServerContext {
  connection: Connection;
  /** Open documents, incrementally synced. */
  documents: TextDocuments<TextDocument>;
  /** Open documents and indexed workspace files, keyed by `fileKey(uri)`. */
  workspace: Workspace;
  /** Current settings and cluster facts for core. */
  options: () => AnalyzeOptions;
  health: Health;
}
