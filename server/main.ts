/**
 * The KubeVirt Storage language server: wiring only. Transport from argv (`--stdio`, `--node-ipc`,
 * `--socket=<port>`), as vscode-languageserver's createConnection() decides. stdout belongs to the protocol.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../core/workspace.js';
import { Analysis } from './analysis.js';
import { OpenTexts } from './textDocuments.js';
import { ServerCluster } from './cluster.js';
import { registerClaims } from './claims.js';
import { registerCodeActions } from './codeActions.js';
import { diagnosticSource } from './diagnostics.js';
import { completionTriggerCharacters, registerCompletion } from './completion.js';
import type { ServerContext } from './context.js';
import { registerExplorer } from './explorer.js';
import { registerGcpImages } from './gcpImages.js';
import { registerHover } from './hover.js';
import { registerNavigation } from './navigation.js';
import { registerOperations } from './operations.js';
import { registerVolumeResize } from './volumeResize.js';
import { registerProbe } from './probe.js';
import { registerWebhook } from './webhook.js';
import { registerSettings, SettingsSource } from './settings.js';
import { Health } from './status.js';
import { listContextsRequest, useContextRequest } from '../protocol/contexts.js';
import { approveCredentialPluginRequest } from '../protocol/credentials.js';
import { DocumentKeys, isAnalysedDocument, isJsonName, localPath } from './uris.js';
import { listenToWorkspaceFiles, WorkspaceFiles } from './workspaceFiles.js';
import { withRepoConfig, type RepoConfig } from '../core/repoConfig.js';
import type { Settings } from '../core/types.js';
import { Presenter } from './presentation.js';
import { RepoConfigs } from './repoConfigs.js';
import { connect } from './transport.js';
import { setServerV8Flags } from './v8Flags.js';

// Before any handler runs: what V8 compiles from here on is made with these (v8Flags.ts).
setServerV8Flags(process.execArgv, process.env['NODE_OPTIONS']);

/**
 * The first publish waits for the workspace scan and the folders' .kvstorage.yaml (the facts of files that are not
 * open, the rule settings), at most this long: published early, a finding would change its severity or its figures
 * a moment later.
 */
const firstPublishWaitMs = 2_000;

const { connection, shutdownReceived } = connect();
const texts = new OpenTexts();
const documents = new TextDocuments(texts.configuration);
let settings: SettingsSource | undefined;
let capabilities: ClientCapabilities = {};
let folders: WorkspaceFolder[] = [];
/** Commands the client runs itself (initializationOptions.clientCommands): our extension's "show references". */
let clientCommands: string[] = [];

const health = new Health(connection);
const keys = new DocumentKeys();
const folderPaths = (): string[] => folders.map((f) => localPath(f.uri)).filter((p): p is string => p !== undefined);
const configs = new RepoConfigs(folderPaths, health);
const cluster = new ServerCluster({
  health,
  baseDirectory: () => folders.map((f) => localPath(f.uri)).find((p) => p !== undefined),
  env: process.env,
  log: (message) => connection.console.info(message),
  // Never run a kubeconfig's credential plugin unasked: the user settings may allow the command, else the client asks.
  approveExec: async (request) => {
    if (settings?.cluster.allowedCredentialPlugins?.includes(request.command)) return true;
    try {
      return (await connection.sendRequest(approveCredentialPluginRequest, request)).approved === true;
    } catch (error) {
      connection.console.warn(`The client could not be asked whether to run the credential plugin ${request.command} (${String(error)}): not running it. Allow it with kubevirtStorage.cluster.allowedCredentialPlugins in your user settings.`);
      return false;
    }
  },
});
/** The last Settings made for core, and what they were made from. */
let madeSettings: { editor: Settings; config: RepoConfig; namespace: string | undefined; settings: Settings } | undefined;

/**
 * The settings core analyses with. Manifests that name no namespace land where kubectl would put them: the
 * context's namespace. The repository's .kvstorage.yaml (its first folder's) describes the cluster: it beats the
 * editor's settings. The same object while what it is made of is the same (asked several times per edit): the
 * Workspace then compares it by identity instead of serialising it, and the rules optimized on it do not meet a
 * new hidden class at an edit (an object spread made by optimized code gets another map than the interpreter's).
 */
function analysisSettings(): Settings {
  const namespace = cluster.defaultNamespace();
  const editor = settings!.settings;
  const config = configs.primary();
  const m = madeSettings;
  if (m && m.editor === editor && m.config === config && m.namespace === namespace) return m.settings;
  const base = withRepoConfig(editor, config);
  madeSettings = { editor, config, namespace, settings: namespace ? { ...base, defaultNamespace: namespace } : base };
  return madeSettings.settings;
}

const context: ServerContext = {
  connection,
  documents,
  // Core catches a throwing rule and goes on with the others; the report arrives during analyzeFile. Files on disk
  // are indexed (workspaceFiles.ts): they keep their text and facts, not their parse, so the cache stays small.
  workspace: new Workspace((ruleId, file, error) => analysis.ruleFailed(ruleId, file, error), undefined, { cacheEntries: 2_000 }),
  keys,
  health,
  options: () => ({ settings: analysisSettings(), cluster: cluster.facts(), localFiles: files.localFiles }),
  cluster: () => cluster.current(),
  onClusterChange: (listener) => cluster.onChange(listener),
  present: (key, document, report) => presenter.present(key, document, report),
};
/** Presents each open document's findings (server/presentation.ts), keeping what unchanged blocks gave. */
const presenter = new Presenter({ workspace: context.workspace, options: context.options, config: (k) => configs.forFile(k), folders: () => folders });
const analysis = new Analysis(context);
/** Code lenses follow the files and the cluster: clients that can be told to ask again are told. */
const refreshLenses = (): void => {
  if (capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
};
// Live facts changed (already debounced by the cluster code): re-publish the documents whose findings changed.
cluster.onChange(() => {
  analysis.reanalyzeAll(0);
  refreshLenses();
});
// A PVC, DataVolume or populator source changed: rules that look them up by name (vm-volume-claim-missing) re-run,
// and the lenses that count a snapshot's restores ask again.
cluster.onObjectsChange(() => {
  analysis.reanalyzeAll(0);
  refreshLenses();
});
const files = new WorkspaceFiles({
  workspace: context.workspace,
  health: context.health,
  isOpen: (key) => keys.isFileOpen(key),
  // A .kvstorage.yaml may be among the changed files: read the folders' again first.
  changed: () => {
    const again = (): void => {
      analysis.reanalyzeAll();
      refreshLenses();
    };
    void configs.refresh().then(again, again);
  },
  note: (message) => connection.console.warn(message),
});

connection.onInitialize((params): InitializeResult => {
  capabilities = params.capabilities;
  settings = new SettingsSource(connection, capabilities.workspace?.configuration === true, params.initializationOptions);
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  // Clients that can pull diagnostics (LSP 3.17) do; the others get them pushed.
  const pull = capabilities.textDocument?.diagnostic !== undefined;
  analysis.setMode({ pull, refresh: capabilities.workspace?.diagnostics?.refreshSupport === true });
  const commands: unknown = (params.initializationOptions as { clientCommands?: unknown } | null | undefined)?.clientCommands;
  clientCommands = Array.isArray(commands) ? commands.filter((c): c is string => typeof c === 'string') : [];
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      // Findings in one file depend on others (a PVC on the snapshot it restores).
      ...(pull ? { diagnosticProvider: { identifier: diagnosticSource, interFileDependencies: true, workspaceDiagnostics: false } } : {}),
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.RefactorExtract, CodeActionKind.Refactor] },
      hoverProvider: true,
      documentSymbolProvider: { label: 'KubeVirt Storage' },
      definitionProvider: true,
      referencesProvider: true,
      codeLensProvider: { resolveProvider: true },
      completionProvider: { triggerCharacters: completionTriggerCharacters },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'kubevirt-storage' },
  };
});

connection.onInitialized(() => {
  context.health.send();
  const scanned = Promise.all([listenToWorkspaceFiles(connection, capabilities, files, folders), configs.refresh()]);
  let timer: NodeJS.Timeout | undefined;
  const bounded = new Promise<void>((resolve) => (timer = setTimeout(resolve, firstPublishWaitMs)));
  const ready = Promise.race([scanned.then(() => undefined, () => undefined), bounded]).finally(() => clearTimeout(timer));
  registerSettings(connection, capabilities, settings!, context.health, () => {
    cluster.configure(settings!.cluster);
    void ready.then(() => analysis.start());
  });
});

documents.onDidChangeContent(({ document }) => {
  const changes = texts.take(document.uri);
  if (isAnalysedDocument(document)) {
    analysis.documentChanged(document, changes);
  } else if (isJsonName(document.uri) && context.workspace.has(keys.keyOf(document.uri))) {
    // A JSON file edited until it no longer looks like a datamover index: it is not ours any more.
    context.workspace.removeFile(keys.keyOf(document.uri));
    analysis.documentClosed(document.uri);
  }
});
documents.onDidClose(({ document }) => {
  const held = context.workspace.has(keys.keyOf(document.uri));
  const closed = keys.close(document.uri);
  if (!isAnalysedDocument(document) && !held) return;
  analysis.documentClosed(document.uri);
  // Its own entry goes; the file's falls back to disk only when no other spelling of it is open.
  if (closed.key !== closed.file || closed.fileStillOpen) context.workspace.removeFile(closed.key);
  if (closed.fileStillOpen) analysis.reanalyzeAll();
  else void files.documentClosed(document.uri);
});
connection.languages.diagnostics.on(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document || !isAnalysedDocument(document)) return { kind: 'full', items: [] };
  return analysis.pulled(document, params.previousResultId);
});
connection.onRequest(listContextsRequest, () => cluster.listContexts());
connection.onRequest(useContextRequest, (params) => cluster.useContext(params));
registerHover(context, () => folders);
registerCompletion(context);
registerClaims(context);
const navigation = registerNavigation(context, () => capabilities, () => clientCommands, () => folders);
registerExplorer(context);
registerGcpImages(context);
registerVolumeResize(context);
const webhook = registerWebhook(context);
registerOperations(context, { changed: (op) => (op.startsWith('webhook') ? webhook.changed() : undefined) });
registerCodeActions(context, () => capabilities, (uri, version) => analysis.publishedFindings(uri, version));
registerProbe(context);

connection.onShutdown(() => {
  shutdownReceived();
  analysis.dispose();
  navigation.dispose();
  files.stop();
  cluster.dispose();
});

documents.listen(connection);
connection.listen();
