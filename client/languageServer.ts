/**
 * The language client for dist/server.js, and the server's health as one observable value for the UI.
 */
import { EventEmitter, type Event, type ExtensionContext, type LogOutputChannel } from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { configurationSection, statusNotification, type StatusParams } from '../server/protocol.js';

/** What the status bar shows: the client's state, and while running the server's own status. */
export type ServerHealth =
  | { kind: 'starting' }
  | { kind: 'running'; status: StatusParams }
  | { kind: 'stopped' };

/** Owns the LanguageClient; `dispose()` stops the server. */
export class LanguageServer {
  private readonly client: LanguageClient;
  private readonly changed = new EventEmitter<ServerHealth>();
  private status: StatusParams = { state: 'ok', message: 'Running' };
  private current: ServerHealth = { kind: 'stopped' };

  /** Fires whenever `health` changes. */
  readonly onDidChangeHealth: Event<ServerHealth> = this.changed.event;

  constructor(context: ExtensionContext, output: LogOutputChannel) {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      synchronize: { configurationSection },
      outputChannel: output,
      // The status bar item says when something is wrong; the channel opens when the user asks.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };
    // The id makes the client honour `kubevirtStorage.trace.server`.
    this.client = new LanguageClient('kubevirtStorage', 'KubeVirt Storage', serverOptions, clientOptions);
    this.client.onDidChangeState(({ newState }) => {
      if (newState === State.Starting) this.status = { state: 'ok', message: 'Running' };
      this.update();
    });
    this.client.onNotification(statusNotification, (params: StatusParams) => {
      this.status = params;
      this.update();
    });
  }

  get health(): ServerHealth {
    return this.current;
  }

  /** Starts the server; rejects when it cannot be started. */
  async start(): Promise<void> {
    await this.client.start();
  }

  /** Restarts a running server, or starts a stopped one. */
  async restart(): Promise<void> {
    if (this.client.isRunning()) await this.client.restart();
    else await this.client.start();
  }

  /** Stops the server (if it runs) and releases the client. */
  async dispose(): Promise<void> {
    try {
      if (this.client.needsStop()) await this.client.stop();
    } finally {
      this.changed.dispose();
    }
  }

  private update(): void {
    const state = this.client.state;
    this.current =
      state === State.Running ? { kind: 'running', status: this.status }
      : state === State.Starting ? { kind: 'starting' }
      : { kind: 'stopped' };
    this.changed.fire(this.current);
  }
}
