/**
 * When to analyse which open document, and how its diagnostics reach the client: pushed (`publishDiagnostics`)
 * or, for clients that pull (LSP 3.17 `textDocument/diagnostic`), answered with a result id so that an unchanged
 * report costs nothing. The edited document is analysed at once (no debounce: the didChange → diagnostics latency
 * is what users feel); the other open YAML documents (and datamover index files), which may reference it, follow
 * after a short quiet period, and only those whose findings changed are sent again (pushed, or a refresh asked).
 */
import type { DocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/types.js';
import type { FileFindings } from '../core/workspace.js';
import type { ServerContext } from './context.js';
import { forgetWritten, publishedDiagnostics } from './diagnostics.js';
import { RopeDocument, type RangedChange } from './textDocuments.js';
import { isAnalysedDocument } from './uris.js';
import { warmUp, warmUpAfterMs } from './warmUp.js';

/** Quiet period before the documents that did not change are re-analysed. */
const followUpDelayMs = 150;

/** What was last sent (or is ready to be pulled) for one document. */
interface Report {
  /** The document version these findings are known to be current for. */
  version: number;
  /** As the Workspace handed them out: the same object while nothing changed. */
  findings: FileFindings;
  resultId: string;
}

/** How diagnostics reach the client. */
export interface DiagnosticsMode {
  /** The client pulls (`textDocument/diagnostic`); nothing is pushed. */
  pull: boolean;
  /** It accepts `workspace/diagnostic/refresh`, to be told to pull again when other documents changed. */
  refresh: boolean;
}

/** Keeps the Workspace in step with open documents and hands out their diagnostics. */
export class Analysis {
  /** Documents to analyse again and send if their findings changed. */
  private readonly pending = new Set<string>();
  private readonly reports = new Map<string, Report>();
  private nextResultId = 1;
  private mode: DiagnosticsMode = { pull: false, refresh: false };
  /** Rules that threw during the analysis in progress (core catches them and reports through `ruleFailed`). */
  private failedRules: string[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  private started = false;
  /** Whether the edit path was warmed (server/warmUp.ts: once per server, after the first open). */
  private warmed = false;
  private warmTimer: NodeJS.Timeout | undefined;
  private whenStarted: Promise<void>;
  private markStarted: () => void = () => undefined;

  constructor(private readonly deps: ServerContext) {
    this.whenStarted = new Promise((resolve) => (this.markStarted = resolve));
  }

  /** Push or pull, as the client said at initialize. */
  setMode(mode: DiagnosticsMode): void {
    this.mode = mode;
  }

  /**
   * Starts publishing once the settings are known (until then documents are only indexed); called again after a
   * settings change, re-analyses every open document.
   */
  start(): void {
    this.started = true;
    this.markStarted();
    this.reanalyzeAll(0);
  }

  /**
   * An open YAML document was opened or edited: index it and send its diagnostics now, the others' soon. With the
   * edit's `changes`, the Workspace applies them to its copy instead of reading the whole text.
   */
  documentChanged(document: TextDocument, changes?: readonly RangedChange[]): void {
    const key = this.deps.keys.open(document.uri);
    try {
      const length = document instanceof RopeDocument ? document.length : undefined;
      if (!changes || !this.deps.workspace.editFile(key, changes, length)) this.deps.workspace.setFile(key, document.getText());
    } catch (error) {
      this.deps.health.failed(document.uri, `Indexing ${document.uri}`, error);
      return;
    }
    if (!this.started) return;
    this.pending.delete(document.uri);
    // A pulling client asks for the edited document itself, right after the change.
    if (!this.mode.pull) this.publish(document, true);
    // The library's TextDocument (JSON documents) builds its line table on first use: better now than at an edit.
    document.offsetAt({ line: 0, character: 0 });
    for (const other of this.deps.documents.all()) {
      if (other.uri !== document.uri && isAnalysedDocument(other)) this.pending.add(other.uri);
    }
    this.schedule(followUpDelayMs);
  }

  /** An open document was closed: its diagnostics go (the Workspace keeps whatever is on disk). */
  documentClosed(uri: string): void {
    this.pending.delete(uri);
    this.reports.delete(uri);
    forgetWritten(uri);
    this.deps.health.problem(uri, undefined);
    if (!this.mode.pull) void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /**
   * Something besides an open document changed (files on disk, settings, the cluster): analyse every open YAML
   * document again; those whose findings changed are sent.
   */
  reanalyzeAll(delayMs = followUpDelayMs): void {
    if (!this.started) return;
    for (const document of this.deps.documents.all()) if (isAnalysedDocument(document)) this.pending.add(document.uri);
    this.schedule(delayMs);
  }

  /** Core's report that one rule threw on `file` (the other rules still ran): logged once, status degraded. */
  ruleFailed(ruleId: string, file: string, error: unknown): void {
    this.deps.health.logOnce(`Rule ${ruleId} on ${file}`, error);
    this.failedRules?.push(ruleId);
  }

  /** The findings last sent for `uri` if they are those of document `version` (for the code-action handler). */
  publishedFindings(uri: string, version: number): readonly Finding[] | undefined {
    const last = this.reports.get(uri);
    return last?.version === version ? last.findings.all() : undefined;
  }

  /** Answers `textDocument/diagnostic`: the report, or `unchanged` when the client has it already. */
  async pulled(document: TextDocument, previousResultId: string | undefined): Promise<DocumentDiagnosticReport> {
    await this.whenStarted;
    this.pending.delete(document.uri);
    const found = this.analyse(document);
    if (!found) return { kind: 'full', items: [] };
    const { resultId, findings } = found.report;
    if (!this.warmed) this.warm(document);
    return previousResultId === resultId ? { kind: 'unchanged', resultId } : { kind: 'full', resultId, items: publishedDiagnostics(findings, document.uri) };
  }

  dispose(): void {
    this.started = false;
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    if (this.warmTimer) clearTimeout(this.warmTimer);
  }

  /** Warms the edit path on the opened document, nothing published (server/warmUp.ts), while it is not edited. */
  private warm(document: TextDocument): void {
    this.warmed = true;
    const { uri, version } = document;
    const key = this.deps.keys.keyOf(uri);
    const { workspace } = this.deps;
    const current = (): boolean => this.started && this.deps.documents.get(uri) === document && document.version === version;
    this.warmTimer = setTimeout(() => {
      this.warmTimer = undefined;
      if (current()) start();
    }, warmUpAfterMs);
    const start = (): void => warmUp(
      {
        workspace,
        presented: (k) => {
          const analysed = workspace.report(k, this.deps.options());
          return this.deps.present ? this.deps.present(k, document, analysed) : analysed;
        },
        later: (step) => void setImmediate(step),
        current,
        failed: (error) => {
          this.deps.health.logOnce(`Warming the edit path on ${uri}`, error);
          workspace.setFile(key, document.getText());
        },
      },
      key,
      uri,
    );
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.drain(), delayMs);
  }

  /** Re-analyses the pending documents one per macrotask, so edits arriving meanwhile are handled first. */
  private async drain(): Promise<void> {
    this.timer = undefined;
    if (this.draining) return;
    this.draining = true;
    let refresh = false;
    try {
      for (let uri = first(this.pending); this.started && uri !== undefined; uri = first(this.pending)) {
        this.pending.delete(uri);
        const document = this.deps.documents.get(uri);
        if (document && isAnalysedDocument(document)) {
          if (this.mode.pull) refresh = this.analyse(document)?.changed === true || refresh;
          else this.publish(document, false);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (refresh && this.mode.refresh && this.started) void this.deps.connection.languages.diagnostics.refresh();
    } finally {
      this.draining = false;
    }
  }

  /** Pushes the document's diagnostics: always (`force`, a new version), or only when its findings changed. */
  private publish(document: TextDocument, force: boolean): void {
    const found = this.analyse(document);
    if (!found || (!force && !found.changed)) return;
    const { uri, version } = document;
    void this.deps.connection.sendDiagnostics({ uri, version, diagnostics: publishedDiagnostics(found.report.findings, uri) });
    if (!this.warmed) this.warm(document);
  }

  /** The document's findings now, recorded; `changed` when they differ from the last recorded ones. */
  private analyse(document: TextDocument): { report: Report; changed: boolean } | undefined {
    const { uri, version } = document;
    const failedRules: string[] = [];
    this.failedRules = failedRules;
    try {
      const key = this.deps.keys.keyOf(uri);
      const analysed = this.deps.workspace.report(key, this.deps.options());
      // The server's presentation (Helm templates, suppressions, .kvstorage.yaml, related objects, relative names).
      const findings = this.deps.present ? this.deps.present(key, document, analysed) : analysed;
      this.deps.health.problem(uri, failedRules.length > 0 ? `Rule ${failedRules.join(', ')} failed on ${uri}` : undefined);
      const last = this.reports.get(uri);
      if (last && failedRules.length === 0 && sameFindings(last.findings, findings)) {
        last.version = version;
        last.findings = findings;
        return { report: last, changed: false };
      }
      const report: Report = { version, findings, resultId: String(this.nextResultId++) };
      this.reports.set(uri, report);
      return { report, changed: true };
    } catch (error) {
      this.deps.health.failed(uri, `Analysis of ${uri}`, error);
      return undefined;
    } finally {
      this.failedRules = undefined;
    }
  }
}

function first(pending: Set<string>): string | undefined {
  for (const key of pending) return key;
  return undefined;
}

/**
 * The same findings at the same places. The Workspace hands out the very same report while nothing changed, and
 * the same block arrays for documents it did not run again; a document it ran again (or a datamover file, checked
 * afresh each time) is compared by value.
 */
function sameFindings(a: FileFindings, b: FileFindings): boolean {
  if (a === b) return true;
  if (a.blocks.length !== b.blocks.length || a.sorted !== b.sorted) return false;
  return a.blocks.every((x, i) => {
    const y = b.blocks[i]!;
    if (x.line !== y.line || x.findings.length !== y.findings.length) return false;
    return x.findings === y.findings || x.findings.every((f, k) => f === y.findings[k] || JSON.stringify(f) === JSON.stringify(y.findings[k]));
  });
}
