/**
 * What the handler families share: the connection, the open documents, the analysis Workspace, health, and
 * the live cluster (when the user connected one).
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LiveCluster } from '../cluster/live.js';
import type { FileFindings } from '../core/workspace.js';
import type { AnalyzeOptions, Workspace } from '../core/workspace.js';
import type { Health } from './status.js';
import type { DocumentKeys } from './uris.js';

/** The server's shared state, created once in main.ts. */
export interface ServerContext {
  connection: Connection;
  /** Open documents, incrementally synced. */
  documents: TextDocuments<TextDocument>;
  /** Open documents and indexed workspace files: an open document under `keys.keyOf(uri)`, a file on disk under its `fileKey`. */
  workspace: Workspace;
  /** The Workspace key of each open document. */
  keys: DocumentKeys;
  /** Current settings and cluster facts for core. */
  options: () => AnalyzeOptions;
  health: Health;
  /**
   * The live cluster the server watches (server/cluster.ts owns starting, switching and disposing it);
   * undefined when none is configured or it was disconnected. Consumers (explorer, commands) read it on demand.
   */
  cluster: () => LiveCluster | undefined;
  /** Called whenever the live cluster's facts change or the cluster is switched (subscribe; returns unsubscribe). */
  onClusterChange: (listener: () => void) => () => void;
  /**
   * The findings of a file as published (server/presentation.ts `Presenter`: Helm templates, suppressions,
   * .kvstorage.yaml, related objects, relative paths), block by block of the Workspace's report, so that an edit
   * costs the blocks it touched; the same report when it changed nothing. The identity when absent.
   */
  present?: (key: string, document: { version: number; getText(): string }, report: FileFindings) => FileFindings;
}
