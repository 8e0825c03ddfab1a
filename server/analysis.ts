/**
 * When to analyse which open document. The edited document is analysed and published at once (no debounce: the
 * didChange → publishDiagnostics latency is what users feel); the other open YAML documents (and datamover index
 * files), which may reference it, follow after a short quiet period.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { EditHint } from '../core/workspace.js';
import type { Finding } from '../core/types.js';
import type { ServerContext } from './context.js';
import { toDiagnostic } from './diagnostics.js';
import { isAnalysedDocument } from './uris.js';

/** Quiet period before the documents that did not change are re-analysed. */
const followUpDelayMs = 150;

/** Keeps the Workspace in step with open documents and publishes their diagnostics. */
export class Analysis {
  /** Documents to re-publish; `true`: only if their findings changed (a cluster change, which touches few). */
  private readonly pending = new Map<string, boolean>();
  private readonly published = new Map<string, { version: number; findings: Finding[] }>();
  /** Rules that threw during the analysis in progress (core catches them and reports through `ruleFailed`). */
  private failedRules: string[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  private started = false;

  constructor(private readonly deps: ServerContext) {}

  /**
   * Starts publishing once the settings are known (until then documents are only indexed); called again after a
   * settings change, re-publishes every open document.
   */
  start(): void {
    this.started = true;
    this.reanalyzeAll(0);
  }

  /** An open YAML document was opened or edited: index it and publish its diagnostics now, the others' soon. */
  documentChanged(document: TextDocument, hint?: EditHint): void {
    try {
      this.deps.workspace.setFile(this.deps.keys.open(document.uri), document.getText(), hint);
    } catch (error) {
      this.deps.health.failed(document.uri, `Indexing ${document.uri}`, error);
      return;
    }
    if (!this.started) return;
    this.pending.delete(document.uri);
    this.publish(document);
    // TextDocument builds its line table on first use: the first edit of a big file would pay for it.
    document.offsetAt({ line: 0, character: 0 });
    for (const other of this.deps.documents.all()) {
      if (other.uri !== document.uri && isAnalysedDocument(other)) this.pending.set(other.uri, false);
    }
    this.schedule(followUpDelayMs);
  }

  /** An open document was closed: its diagnostics go (the Workspace keeps whatever is on disk). */
  documentClosed(uri: string): void {
    this.pending.delete(uri);
    this.published.delete(uri);
    this.deps.health.problem(uri, undefined);
    void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /**
   * Something besides an open document changed (files on disk, settings, the cluster): re-analyse every open YAML
   * document. `onlyChanged` publishes only the documents whose findings differ from the last published ones.
   */
  reanalyzeAll(delayMs = followUpDelayMs, onlyChanged = false): void {
    if (!this.started) return;
    for (const document of this.deps.documents.all()) {
      if (isAnalysedDocument(document)) this.pending.set(document.uri, onlyChanged && (this.pending.get(document.uri) ?? true));
    }
    this.schedule(delayMs);
  }

  /** Core's report that one rule threw on `file` (the other rules still ran): logged once, status degraded. */
  ruleFailed(ruleId: string, file: string, error: unknown): void {
    this.deps.health.logOnce(`Rule ${ruleId} on ${file}`, error);
    this.failedRules?.push(ruleId);
  }

  /** The findings last published for `uri` if they were computed for `version` (for clients that drop `data`). */
  publishedFindings(uri: string, version: number): Finding[] | undefined {
    const last = this.published.get(uri);
    return last?.version === version ? last.findings : undefined;
  }

  dispose(): void {
    this.started = false;
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.drain(), delayMs);
  }

  /** Publishes the pending documents one per macrotask, so edits arriving meanwhile are handled first. */
  private async drain(): Promise<void> {
    this.timer = undefined;
    if (this.draining) return;
    this.draining = true;
    try {
      for (let uri = first(this.pending); this.started && uri !== undefined; uri = first(this.pending)) {
        const onlyChanged = this.pending.get(uri) === true;
        this.pending.delete(uri);
        const document = this.deps.documents.get(uri);
        if (document && isAnalysedDocument(document)) this.publish(document, onlyChanged);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  private publish(document: TextDocument, onlyChanged = false): void {
    const { uri, version } = document;
    const failedRules: string[] = [];
    this.failedRules = failedRules;
    try {
      const key = this.deps.keys.keyOf(uri);
      const analysed = this.deps.workspace.analyzeFile(key, this.deps.options());
      const findings = this.deps.present ? this.deps.present(key, document.getText(), analysed) : analysed;
      const last = this.published.get(uri);
      if (onlyChanged && failedRules.length === 0 && last?.version === version && sameFindings(last.findings, findings)) {
        this.deps.health.problem(uri, undefined);
        return;
      }
      const diagnostics = findings.map((finding) => toDiagnostic(finding, version));
      this.published.set(uri, { version, findings });
      this.deps.health.problem(uri, failedRules.length > 0 ? `Rule ${failedRules.join(', ')} failed on ${uri}` : undefined);
      void this.deps.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (error) {
      this.deps.health.failed(uri, `Analysis of ${uri}`, error);
    } finally {
      this.failedRules = undefined;
    }
  }
}

function first(pending: Map<string, boolean>): string | undefined {
  for (const key of pending.keys()) return key;
  return undefined;
}

/** The same findings (core returns fresh arrays, often of the very same finding objects). */
function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i] || JSON.stringify(f) === JSON.stringify(b[i]));
}
