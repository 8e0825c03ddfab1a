/**
 * The custom protocol between the KubeVirt Storage language server and its clients.
 * This is the only file of server/ the client may import, so it imports nothing: plain names and types.
 */

/** Server health as shown in the client's status bar. */
export type ServerState = 'ok' | 'degraded';

/** Params of the `kubevirtStorage/status` notification (server → client). Sent when the state or message changes. */
export interface StatusParams {
  state: ServerState;
  /** One line for humans: what is wrong when degraded, else a short summary. */
  message: string;
  /** YAML files in the index (open documents and workspace files), once the workspace scan has finished. */
  indexedFiles?: number;
}

/** Method name of the status notification. */
export const statusNotification = 'kubevirtStorage/status';

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
}
