/**
 * The server's health and the settings it reads: the `kubevirtStorage/status` notification and the shape of
 * the `kubevirtStorage` configuration section.
 */
import { NotificationType } from 'vscode-languageserver-protocol';

/** The configuration section the server reads (`workspace/configuration`, initializationOptions, didChangeConfiguration). */
export const configurationSection = 'kubevirtStorage';

/**
 * Shape of the `kubevirtStorage` configuration section as VS Code sends it (nested objects). Clients that send
 * dotted keys (`{"cdi.version": "1.63.0"}`) are accepted too.
 */
export interface KubevirtStorageConfiguration {
  cdi?: { version?: string; defaultFilesystemOverhead?: string };
  restore?: { strictProvisioners?: string[] };
  trace?: { server?: 'off' | 'messages' | 'verbose' };
  cluster?: { enabled?: boolean; kubeconfig?: string; context?: string; namespace?: string };
}

/** Server health as shown in the client's status bar. */
export type ServerState = 'ok' | 'degraded';

/** The live cluster as the server sees it (a field of the status notification). */
export interface ClusterStatus {
  /**
   * `off`: disabled by `kubevirtStorage.cluster.enabled`; `none`: no kubeconfig found (nothing to connect to);
   * `connecting`: the first list is in flight; `connected`: live facts are in use; `unavailable`: the cluster
   * cannot be reached or read (workspace-only analysis; `message` says why).
   */
  state: 'off' | 'none' | 'connecting' | 'connected' | 'unavailable';
  /** The kubeconfig context, when one was chosen. */
  context?: string;
  /** The namespace of manifests that name none, and where watches fall back to when not allowed cluster-wide. */
  namespace?: string;
  /** One line for humans. */
  message: string;
}

/** Params of the status notification. */
export interface StatusParams {
  state: ServerState;
  /** One line for humans: what is wrong when degraded, else a short summary. */
  message: string;
  /** YAML files in the index (open documents and workspace files), once the workspace scan has finished. */
  indexedFiles?: number;
  /** The live cluster's state (absent until the server has read the cluster settings). */
  cluster?: ClusterStatus;
}

/** Notification `kubevirtStorage/status` (server → client), sent when the state or message changes. */
export const statusNotification = new NotificationType<StatusParams>('kubevirtStorage/status');
