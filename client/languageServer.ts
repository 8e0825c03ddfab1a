/**
 * The language client for dist/server.js, and the server's health as one observable value for the UI.
 */
import { EventEmitter, MarkdownString, type CancellationToken, type Disposable, type Event, type ExtensionContext, type LogOutputChannel } from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Message,
  type NotificationType,
  type RequestType,
  type RequestType0,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { configurationSection, statusNotification, type StatusParams } from '../protocol/status.js';
import { languageClientChannel } from './clientLog.js';
import { commandIds } from './commands.js';
import { describeError, showFailure } from './failures.js';

/** The one command a hover may run (server/hover.ts writes its link). */
const trustedHoverCommand = 'kubevirtStorage.checkWithCluster';

/** The datamover's JSON index files: `<prefix>-kubevirt-datamover/checkpoints/<ns>/<vm>/index.json`, `manifests/<backup>/*.json`. */
export const datamoverIndexGlobs = ['**/*-kubevirt-datamover/checkpoints/*/*/index.json', '**/*-kubevirt-datamover/manifests/*/*.json'];

/**
 * The custom protocol as the client's features see it: the typed requests and notifications of protocol/ only
 * (no method names as strings), so params and results are checked against the server's handlers.
 */
export interface ProtocolClient {
  /**
   * A custom request to the server (explorer, contexts, webhook); rejects when the server is not running or
   * fails it. Cancelling `token` sends `$/cancelRequest`.
   */
  request<R>(type: RequestType0<R, void>, token?: CancellationToken): Promise<R>;
  request<P, R>(type: RequestType<P, R, void>, params: P, token?: CancellationToken): Promise<R>;
  /** A server → client notification; the registration survives server restarts. */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable;
  /** A server → client request; the registration survives server restarts. */
  onRequest<P, R>(type: RequestType<P, R, void>, handler: (params: P) => Promise<R>): Disposable;
}

/** What the status bar shows: the client's state, and while running the server's own status. */
export type ServerHealth =
  | { kind: 'starting' }
  | { kind: 'running'; message: string }
  | { kind: 'degraded'; message: string }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string };

/**
 * Owns the LanguageClient; `dispose()` stops the server.
 * Who reports a failure: a caller that awaits `start()`/`restart()` shows its rejection; failures nobody awaits
 * (the server crashing until the client gives up) are shown here.
 */
export class LanguageServer implements ProtocolClient {
  private readonly client: LanguageClient;
  private readonly changed = new EventEmitter<ServerHealth>();
  private status: StatusParams | undefined;
  private failure: string | undefined;
  private starting = false;
  private current: ServerHealth = { kind: 'stopped' };

  /** Fires whenever `health` changes. */
  readonly onDidChangeHealth: Event<ServerHealth> = this.changed.event;

  constructor(context: ExtensionContext, private readonly output: LogOutputChannel) {
    const module = context.asAbsolutePath('dist/server.js');
    // stdio, not Node IPC: on stdio the server writes each publish from its findings' kept JSON (server/transport.ts),
    // where IPC would serialise every diagnostic of a large file again on each edit.
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio },
      debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
        // OADP kubevirt datamover index files by their place in the prefix; other JSON stays with VS Code's own
        // JSON support (the server's workspace scan also finds index files elsewhere by their content).
        ...datamoverIndexGlobs.map((pattern) => ({ scheme: 'file', language: 'json', pattern })),
      ],
      synchronize: { configurationSection },
      // The lenses' "restored by …" may then name our command (client/navigation.ts).
      initializationOptions: { clientCommands: [commandIds.showReferences] },
      // Server log and trace go to the one channel; the trace level is `kubevirtStorage.trace.server`,
      // which the client reads (and re-reads on change) because its id is `kubevirtStorage`.
      outputChannel: languageClientChannel(output),
      // The status bar item says when something is wrong; the channel opens when the user asks.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler: this.errorHandler(),
      // The hover's "Check with the cluster" link is a command link: trusted for that command alone.
      middleware: {
        provideHover: async (document, position, token, next) => {
          const hover = await next(document, position, token);
          for (const c of hover?.contents ?? []) if (c instanceof MarkdownString) c.isTrusted = { enabledCommands: [trustedHoverCommand] };
          return hover;
        },
      },
      // Without a handler the client shows the raw error in a notification of its own; start() reports it.
      initializationFailedHandler: (error: unknown) => {
        output.error(`The language server failed to initialize: ${describeError(error)}`);
        return false;
      },
    };
    this.client = new QuietLanguageClient(configurationSection, 'KubeVirt Storage', serverOptions, clientOptions);
    this.client.onDidChangeState(({ newState }) => {
      if (newState === State.Starting) this.status = undefined;
      this.update();
    });
    this.client.onNotification(statusNotification, (params) => {
      if (params.state !== this.status?.state) {
        if (params.state === 'degraded') output.warn(`Language server degraded: ${params.message}`);
        else output.info(`Language server: ${params.message}`);
      } else {
        output.debug(`Language server status: ${params.message}`);
      }
      this.status = params;
      this.update();
    });
  }

  get health(): ServerHealth {
    return this.current;
  }

  /** The server's last status notification (its `cluster` field says whether a cluster is connected). */
  get serverStatus(): StatusParams | undefined {
    return this.status;
  }

  /** Starts the server; rejects (and reports `failed`) when it cannot be started. */
  async start(): Promise<void> {
    this.output.info('Starting the language server');
    await this.settle(this.client.start(), 'could not start the language server');
  }

  /** Restarts a running server, or starts a stopped one. */
  async restart(): Promise<void> {
    if (!this.client.isRunning()) return this.start();
    this.output.info('Restarting the language server');
    await this.settle(this.client.restart(), 'could not restart the language server');
  }

  request<R>(type: RequestType0<R, void>, token?: CancellationToken): Promise<R>;
  request<P, R>(type: RequestType<P, R, void>, params: P, token?: CancellationToken): Promise<R>;
  request<P, R>(type: RequestType0<R, void> | RequestType<P, R, void>, first?: P | CancellationToken, token?: CancellationToken): Promise<R> {
    // The overloads above guarantee the pairing: a RequestType0 comes with (token?), a RequestType with (params, token?).
    return type.numberOfParams === 0
      ? this.client.sendRequest(type as RequestType0<R, void>, first as CancellationToken | undefined)
      : this.client.sendRequest(type as RequestType<P, R, void>, first as P, token);
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable {
    return this.client.onNotification(type, handler);
  }

  onRequest<P, R>(type: RequestType<P, R, void>, handler: (params: P) => Promise<R>): Disposable {
    return this.client.onRequest(type, handler);
  }

  /** Stops the server (if it runs) and releases the client. */
  async dispose(): Promise<void> {
    try {
      if (this.client.needsStop()) await this.client.stop();
    } finally {
      this.changed.dispose();
    }
  }

  /**
   * Awaits a start or restart. While it is pending, a crash the client gives up on is left to the caller to
   * report (one message, the more telling one), since the caller reports the rejection anyway.
   */
  private async settle(pending: Promise<void>, what: string): Promise<void> {
    this.failure = undefined;
    this.starting = true;
    try {
      await pending;
      // vscode-languageclient 9 resolves start() when the server dies during initialization and the close
      // handler declines a restart (it returns its cleared start promise), so check the outcome.
      if (!this.client.isRunning()) throw new Error('the language server is not running');
    } catch (error) {
      const message = this.failure ?? `${what}: ${describeError(error)}`;
      this.failed(message);
      throw new Error(message, { cause: error });
    } finally {
      this.starting = false;
    }
  }

  private failed(message: string): void {
    this.failure = message;
    this.output.error(message);
    this.update();
  }

  /** The client's default restart policy; when it gives up, the failure is ours to report (once). */
  private errorHandler(): ErrorHandler {
    let fallback: ErrorHandler | undefined;
    const defaults = (): ErrorHandler => (fallback ??= this.client.createDefaultErrorHandler());
    return {
      error: async (error: Error, message: Message | undefined, count: number | undefined): Promise<ErrorHandlerResult> => {
        this.output.error(`Connection to the language server failed: ${describeError(error)}`);
        const result = await defaults().error(error, message, count);
        if (result.action !== ErrorAction.Shutdown) return result;
        this.gaveUp(result.message ?? 'the connection to the language server failed, so the server was shut down');
        return { action: ErrorAction.Shutdown, handled: true };
      },
      closed: async (): Promise<CloseHandlerResult> => {
        if (this.starting) {
          // It would die again: no restart loop; start() rejects with this message, Restart retries.
          this.failure = 'the language server exited while starting (see the log)';
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        const result = await defaults().closed();
        if (result.action === CloseAction.Restart) {
          this.output.warn('The language server stopped unexpectedly; restarting it');
          return { action: CloseAction.Restart, handled: true };
        }
        this.gaveUp(result.message ?? 'the language server stopped and will not be restarted');
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  /** Records a crash for the status bar; unless a start is pending (its caller reports), tells the user once. */
  private gaveUp(message: string): void {
    this.failed(message);
    if (!this.starting) void showFailure(this.output, message);
  }

  private update(): void {
    const state = this.client.state;
    this.current =
      state === State.Starting ? { kind: 'starting' }
      : state === State.Running
        ? this.status?.state === 'degraded'
          ? { kind: 'degraded', message: this.status.message }
          : { kind: 'running', message: this.status?.message ?? 'Running' }
      : this.failure !== undefined ? { kind: 'failed', message: this.failure }
      : { kind: 'stopped' };
    this.changed.fire(this.current);
  }
}

/**
 * A LanguageClient that leaves notifications to the extension: vscode-languageclient forces its own message
 * on start failures and fatal connection errors, which would double the extension's own "Show Log" message.
 */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, showNotification === 'force' ? false : showNotification);
  }
}
