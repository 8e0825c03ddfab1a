/**
 * The KubeVirt Storage language server: wiring only. Transport from argv (`--stdio`, `--node-ipc`,
 * `--socket=<port>`), as vscode-languageserver's createConnection() decides. stdout belongs to the protocol.
 */
import {
  CodeActionKind,
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { noCluster } from '../core/facts.js';
import { Workspace } from '../core/workspace.js';
import { Analysis } from './analysis.js';
import { registerCodeActions } from './codeActions.js';
import type { ServerContext } from './context.js';
import { registerHover } from './hover.js';
import { registerSettings, SettingsSource } from './settings.js';
import { Health } from './status.js';
import { fileKey, isYamlDocument } from './uris.js';
import { listenToWorkspaceFiles, WorkspaceFiles } from './workspaceFiles.js';

const connection = createConnection();
const documents = new TextDocuments(TextDocument);
let settings: SettingsSource | undefined;
let capabilities: ClientCapabilities = {};
let folders: WorkspaceFolder[] = [];

const context: ServerContext = {
  connection,
  documents,
  // Core catches a throwing rule and goes on with the others; the report arrives during analyzeFile.
  workspace: new Workspace((ruleId, file, error) => analysis.ruleFailed(ruleId, file, error)),
  health: new Health(connection),
  options: () => ({ settings: settings!.settings, cluster: noCluster }),
};
const analysis = new Analysis(context);
const files = new WorkspaceFiles({
  workspace: context.workspace,
  health: context.health,
  isOpen: (key) => documents.all().some((document) => fileKey(document.uri) === key),
  changed: () => analysis.reanalyzeAll(),
});

connection.onInitialize((params): InitializeResult => {
  capabilities = params.capabilities;
  settings = new SettingsSource(connection, capabilities.workspace?.configuration === true, params.initializationOptions);
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      hoverProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'kubevirt-storage' },
  };
});

connection.onInitialized(() => {
  context.health.send();
  registerSettings(connection, capabilities, settings!, context.health, () => analysis.start());
  listenToWorkspaceFiles(connection, capabilities, files, folders);
});

documents.onDidChangeContent(({ document }) => {
  if (isYamlDocument(document)) analysis.documentChanged(document);
});
documents.onDidClose(({ document }) => {
  if (!isYamlDocument(document)) return;
  analysis.documentClosed(document.uri);
  void files.documentClosed(document.uri);
});
registerHover(context);
registerCodeActions(context, () => capabilities, (uri, version) => analysis.publishedFindings(uri, version));

connection.onShutdown(() => {
  analysis.dispose();
  files.stop();
});

documents.listen(connection);
connection.listen();
