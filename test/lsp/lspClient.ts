/**
 * A plain JSON-RPC LSP client for protocol tests: spawns the built server over stdio, records what it publishes,
 * answers its requests, and waits on conditions with a deadline (no sleeps).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigurationRequest,
  DiagnosticRefreshRequest,
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  type ClientCapabilities,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
  type SymbolKind,
} from 'vscode-languageserver-protocol/node';
import { statusNotification, type StatusParams } from '../../protocol/status.js';

/**
 * What Neovim's built-in client (0.10) declares that matters here: hierarchical symbols, definition links,
 * diagnostics with related information; no pulled configuration, no dynamic registration, no versioned edits,
 * no diagnostic data, none of VS Code's own (code lens refresh, client commands).
 */
export const neovimCapabilities: ClientCapabilities = {
  workspace: { configuration: false, workspaceFolders: true, applyEdit: true },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true, symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as SymbolKind) } },
    definition: { linkSupport: true },
    references: {},
    codeLens: {},
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};

/** Capabilities of a modern client: pulled configuration, dynamic registration, versioned edits, diagnostic data. */
export const fullCapabilities: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false },
    publishDiagnostics: { versionSupport: true, dataSupport: true, relatedInformation: true },
    codeAction: {
      isPreferredSupport: true,
      dataSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    definition: { linkSupport: true },
    references: {},
    codeLens: {},
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], insertTextModeSupport: { valueSet: [1, 2] } } },
  },
};

export interface StartOptions {
  serverPath: string;
  workspaceFolder: string;
  /** The `kubevirtStorage` section returned for `workspace/configuration`; read on every request. */
  configuration: () => unknown;
  /**
   * The server's environment. By default this process's, with KUBECONFIG naming a file that does not exist, so
   * that a developer's own kubeconfig is never read (the server then finds no cluster and stays quiet).
   */
  env?: NodeJS.ProcessEnv;
  /** Registers handlers of server → client requests before anything is exchanged. */
  handlers?: (connection: ProtocolConnection) => void;
  /** The client's capabilities (default: `fullCapabilities`, a modern VS Code-like client; a pulling one, say). */
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** How to speak to the server: over stdio (the default), or Node IPC (`--node-ipc`, as VS Code starts it). */
  transport?: 'stdio' | 'ipc';
}

/** A running server and everything it has sent. */
export class LspClient {
  /** Latest publishDiagnostics per URI. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** How many times diagnostics were published per URI. */
  readonly publishCount = new Map<string, number>();
  readonly statuses: StatusParams[] = [];
  readonly errorLogs: string[] = [];
  readonly warnLogs: string[] = [];
  readonly registrations: Registration[] = [];
  /** `workspace/diagnostic/refresh` requests received (a pulling client is asked to pull again). */
  refreshes = 0;
  stderr = '';
  exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;
  initializeResult: InitializeResult | undefined;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {
    this.exited = new Promise((resolve) =>
      process.on('exit', (code) => {
        this.exitCode = code;
        resolve(code);
        this.changed();
      }),
    );
    process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /** Spawns `node <serverPath> --stdio` (or `--node-ipc`), initializes it (with `fullCapabilities` by default) and sends `initialized`. */
  static async start(options: StartOptions): Promise<LspClient> {
    const env = options.env ?? { ...process.env, KUBECONFIG: join(tmpdir(), 'kvstorage-lsp-test-no-kubeconfig', 'config') };
    const ipc = options.transport === 'ipc';
    // Both with stdin, stdout and stderr piped (over IPC stdout is the server's console, unused).
    const child = (
      ipc ? spawn(process.execPath, [options.serverPath, '--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], env }) : spawn(process.execPath, [options.serverPath, '--stdio'], { stdio: 'pipe', env })
    ) as ChildProcessWithoutNullStreams;
    const connection = ipc
      ? createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
      : createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.diagnostics.set(params.uri, params);
      client.published.push(params);
      client.publishCount.set(params.uri, (client.publishCount.get(params.uri) ?? 0) + 1);
      client.changed();
    });
    connection.onNotification(statusNotification, (params: StatusParams) => {
      client.statuses.push(params);
      client.changed();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      if (params.type === MessageType.Error) client.errorLogs.push(params.message);
      if (params.type === MessageType.Warning) client.warnLogs.push(params.message);
      client.changed();
    });
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === 'kubevirtStorage' ? options.configuration() : null)),
    );
    connection.onRequest(RegistrationRequest.type, (params) => {
      client.registrations.push(...params.registrations);
      client.changed();
    });
    connection.onRequest(UnregistrationRequest.type, () => undefined);
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      client.refreshes++;
      client.changed();
    });
    options.handlers?.(connection);
    connection.listen();
    client.initializeResult = await client.within(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: options.workspaceFolder,
        workspaceFolders: [{ uri: options.workspaceFolder, name: 'workspace' }],
        capabilities: options.capabilities ?? fullCapabilities,
        ...(options.initializationOptions === undefined ? {} : { initializationOptions: options.initializationOptions }),
      }),
      'the initialize response',
    );
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Resolves with the first non-undefined value of `check`, re-evaluated on every message from the server. */
  waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = (): void => {
        const value = check();
        if (value !== undefined) finish(() => resolve(value));
        else if (this.exitCode !== undefined) finish(() => reject(this.failure(`the server exited (code ${this.exitCode}) while waiting for ${what}`)));
      };
      const timer = setTimeout(() => finish(() => reject(this.failure(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(attempt);
        settle();
      };
      this.listeners.add(attempt);
      attempt();
    });
  }

  /** Waits until the latest diagnostics published for `uri` satisfy `predicate`. */
  waitForDiagnostics(uri: string, predicate: (published: PublishDiagnosticsParams) => boolean, what: string): Promise<PublishDiagnosticsParams> {
    return this.waitFor(() => {
      const published = this.diagnostics.get(uri);
      return published && predicate(published) ? published : undefined;
    }, `${what} (in ${uri})`);
  }

  /** A request's result, or a clear failure when the server does not answer in time. */
  within<T>(promise: Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.failure(`no answer within ${timeoutMs} ms for ${what}`)), timeoutMs);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
  }

  /** shutdown, then exit; resolves with the process's exit code. */
  async shutdown(): Promise<number | null> {
    await this.within(this.connection.sendRequest(ShutdownRequest.type), 'the shutdown response');
    await this.connection.sendNotification(ExitNotification.type);
    return this.within(this.exited, 'the server process to exit');
  }

  /** Ends the process if a test left it running. */
  dispose(): void {
    this.connection.dispose();
    if (this.exitCode === undefined) this.process.kill();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private failure(message: string): Error {
    const published = [...this.diagnostics.values()].map(
      (p) => `  ${p.uri} v${p.version ?? '?'}: ${p.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}/sev${d.severity}`).join(', ') || '(none)'}`,
    );
    return new Error(
      `${message}\nlatest diagnostics:\n${published.join('\n') || '  (none)'}\nerror logs: ${this.errorLogs.join('\n') || '(none)'}\nserver stderr: ${this.stderr || '(empty)'}`,
    );
  }
}
