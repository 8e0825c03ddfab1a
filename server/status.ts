/**
 * Server health: one status notification for the client's status bar, and each distinct exception logged once.
 * Problems are keyed (a document URI, 'index', 'settings') so that each source can clear its own.
 */
import type { Connection } from 'vscode-languageserver/node';
import { statusNotification, type ClusterStatus, type StatusParams } from '../protocol/status.js';

/** Collects problems and sends `kubevirtStorage/status` when the combined state changes. */
export class Health {
  private readonly problems = new Map<string, string>();
  private readonly loggedStacks = new Set<string>();
  private indexedFiles: number | undefined;
  private clusterStatus: ClusterStatus | undefined;
  private lastSent = '';

  constructor(private readonly connection: Connection) {}

  /** Records an unexpected exception under `key` (see `logOnce`) and reports the server degraded. */
  failed(key: string, what: string, error: unknown): void {
    this.logOnce(what, error);
    this.problem(key, `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Logs an unexpected exception with its stack, the first time this stack is seen (not on every keystroke). */
  logOnce(what: string, error: unknown): void {
    const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    if (this.loggedStacks.has(stack)) return;
    if (this.loggedStacks.size >= 100) this.loggedStacks.clear();
    this.loggedStacks.add(stack);
    this.connection.console.error(`${what} failed: ${stack}`);
  }

  /** Sets (or, with `undefined`, clears) the problem reported under `key`. */
  problem(key: string, message: string | undefined): void {
    if (message === undefined) {
      if (!this.problems.delete(key)) return;
    } else {
      this.problems.set(key, message);
    }
    this.send();
  }

  /**
   * Records the live cluster's state (sent as `cluster`) and, with `problem`, degrades the status once for it:
   * a cluster that cannot be read is one problem, not one per file.
   */
  cluster(status: ClusterStatus, problem: string | undefined): void {
    this.clusterStatus = status;
    if (problem === undefined) this.problems.delete('cluster');
    else this.problems.set('cluster', problem);
    this.send();
  }

  /** Records the size of the index once the workspace scan has finished. */
  indexed(files: number): void {
    this.indexedFiles = files;
    this.send();
  }

  /** Sends the current status; a no-op when nothing changed since the last one. */
  send(): void {
    const messages = [...this.problems.values()];
    const params: StatusParams = {
      state: messages.length > 0 ? 'degraded' : 'ok',
      message:
        messages.length === 0 ? this.summary()
        : messages.length === 1 ? messages[0]!
        : `${messages[0]!} (and ${messages.length - 1} more problem${messages.length > 2 ? 's' : ''})`,
      ...(this.indexedFiles === undefined ? {} : { indexedFiles: this.indexedFiles }),
      ...(this.clusterStatus === undefined ? {} : { cluster: this.clusterStatus }),
    };
    const key = JSON.stringify(params);
    if (key === this.lastSent) return;
    this.lastSent = key;
    void this.connection.sendNotification(statusNotification, params);
  }

  private summary(): string {
    const files = this.indexedFiles === undefined ? 'Ready; indexing workspace YAML files' : `Ready; ${this.indexedFiles} YAML files indexed`;
    const cluster = this.clusterStatus;
    return cluster?.state === 'connected' || cluster?.state === 'connecting' ? `${files}; ${cluster.message}` : files;
  }
}
