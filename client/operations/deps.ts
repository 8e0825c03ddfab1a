/**
 * What the operation commands share: the server's requests, the read-only documents, the connected cluster,
 * the relay of progress notifications, and one way to run a request and tell the user what went wrong.
 */
import { ProgressLocation, window, type CancellationToken, type LogOutputChannel } from 'vscode';
import type { ClusterStatus } from '../../protocol/status.js';
import type { OperationProgressParams } from '../../protocol/operations.js';
import { describeError, showFailure } from '../failures.js';
import type { ProtocolClient } from '../languageServer.js';
import type { OperationDocuments } from './documents.js';

export interface OperationDeps {
  output: LogOutputChannel;
  /** The server's typed requests (protocol/). */
  server: Pick<ProtocolClient, 'request'>;
  documents: OperationDocuments;
  /** The cluster as the server's last status notification described it. */
  cluster(): ClusterStatus | undefined;
  progress: ProgressRelay;
  /** After a change to the cluster (apply, undo) of `operation`: refresh what shows it. */
  changed(operation: string): void;
}

/** `$/cancelRequest` answered: the server stopped the request. */
const requestCancelled = -32800;

/**
 * Routes `kubevirtStorage/operations/progress` to the request that runs. Requests that report progress run one at
 * a time (both would report here, and two applies at once would race): `busy` says one runs.
 */
export class ProgressRelay {
  private sink: ((p: OperationProgressParams) => void) | undefined;

  constructor(private readonly output: LogOutputChannel) {}

  get busy(): boolean {
    return this.sink !== undefined;
  }

  deliver(p: OperationProgressParams): void {
    this.output.info(`Operation ${p.stage} (${p.planId}): ${p.message}`);
    this.sink?.(p);
  }

  /** Runs `fn` with `sink` receiving the progress notifications until it settles. */
  async run<T>(sink: (p: OperationProgressParams) => void, fn: () => Promise<T>): Promise<T> {
    this.sink = sink;
    try {
      return await fn();
    } finally {
      this.sink = undefined;
    }
  }
}

/** A request's answer (`cancelled`: the user cancelled while it ran, and the server answered anyway), or none. */
export type Asked<R> = { ok: true; value: R; cancelled: boolean } | { ok: false; cancelled: boolean };

/** Sends one typed request (e.g. `(t) => deps.server.request(operationApplyRequest, ref, t)`) with `token`, if any. */
export type Send<R> = (token?: CancellationToken) => Promise<R>;

/**
 * Sends a request; a rejection (server not running, request failed) is logged and shown, a cancellation is
 * only logged. `what` completes "could not …" in the message.
 */
export async function ask<R>(deps: OperationDeps, what: string, send: Send<R>, token?: CancellationToken): Promise<Asked<R>> {
  try {
    const value = await send(token);
    return { ok: true, value, cancelled: token?.isCancellationRequested === true };
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (token?.isCancellationRequested || code === requestCancelled) {
      deps.output.info(`Cancelled: ${what}`);
      return { ok: false, cancelled: true };
    }
    deps.output.error(`Could not ${what}: ${describeError(error)}`);
    await showFailure(deps.output, `could not ${what}: ${describeError(error)}`);
    return { ok: false, cancelled: false };
  }
}

/** The connected cluster's context, or undefined after telling the user there is none. */
export function connectedContext(deps: OperationDeps): string | undefined {
  const cluster = deps.cluster();
  if (cluster?.state === 'connected' && cluster.context) return cluster.context;
  const why = cluster ? cluster.message : 'the language server has not reported a cluster yet';
  void window.showWarningMessage(`KubeVirt Storage: no cluster is connected (${why}). Select a context in the KubeVirt Storage explorer first.`);
  return undefined;
}

/** Refuses a second webhook operation while one runs; true when this one may go on. */
export function notBusy(deps: OperationDeps): boolean {
  if (!deps.progress.busy) return true;
  void window.showInformationMessage('KubeVirt Storage: another operation on the cluster is still running; wait for it or cancel it first.');
  return false;
}

/**
 * A request that changes the cluster (or dry-runs a change), under a cancellable progress notification that
 * shows the server's progress; cancelling sends `$/cancelRequest`.
 */
export async function withRequestProgress<R>(deps: OperationDeps, title: string, what: string, send: Send<R>): Promise<Asked<R>> {
  // A flow that waited for the user (a confirmation) may find another operation running by now.
  if (!notBusy(deps)) return { ok: false, cancelled: false };
  return await window.withProgress({ location: ProgressLocation.Notification, title: `KubeVirt Storage: ${title}`, cancellable: true }, (progress, token) =>
    deps.progress.run(
      (p) => progress.report({ message: p.message }),
      () => ask(deps, what, send, token),
    ),
  );
}
