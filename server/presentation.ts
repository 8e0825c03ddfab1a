/**
 * What the server does to an analysis' findings before publishing them, as the CLI does: Helm templates become
 * their one finding, the manifests' suppressions and the repository's `.kvstorage.yaml` apply, each finding
 * links the objects it is about (relatedInformation), and messages name workspace files by their relative path,
 * as the CLI prints them, instead of by URI. A narrow post-filter: the analysis is not touched.
 *
 * `present` does it for a list of findings (the whole file's). The language server's edit path uses
 * `presentReport`, which does it per block of the Workspace's report (one document segment's findings) and keeps
 * each block's result while the block, its segment, the .kvstorage.yaml and the workspace folders are the same:
 * an edit costs the blocks it touched, not the file. Only findings that name related objects are looked at again
 * on every publish (those objects may have moved), and they keep their objects while nothing about them changed.
 */
import type { WorkspaceFolder } from 'vscode-languageserver/node';
import { helmTemplateFinding, isHelmTemplate } from '../core/helm.js';
import type { Place } from '../core/navigation/index.js';
import { relatedPlaces } from '../core/navigation/related.js';
import { applyRuleConfig, type RepoConfig } from '../core/repoConfig.js';
import { shiftFindings } from '../core/shift.js';
import { hasSuppressionMarker, isSuppressed, unsuppressed } from '../core/suppress.js';
import type { Finding } from '../core/types.js';
import type { AnalyzeOptions, BlockSource, FileFindings, FindingBlock, Workspace } from '../core/workspace.js';
import { byPosition } from '../core/workspaceRun.js';
import { docAtPosition } from '../core/yaml/documents.js';
import { objectDocumentUri } from '../protocol/explorer.js';

export interface PresentationDeps {
  workspace: Workspace;
  /** What the analysis ran with: the related objects are found through its facts. */
  options: () => AnalyzeOptions;
  config: (key: string) => RepoConfig;
  folders: () => readonly WorkspaceFolder[];
}

function uriOf(p: Place): { uri: string; range: Finding['range'] } {
  if ('file' in p) return { uri: p.file, range: p.selection };
  const start = { line: 0, character: 0 };
  return { uri: objectDocumentUri(p.cluster), range: { start, end: start } };
}

/** `file:///work/repo/examples/a.yaml` → `examples/a.yaml` (in a multi-root workspace, `<folder name>/examples/a.yaml`). */
export function relativeMessage(message: string, folders: readonly WorkspaceFolder[]): string {
  if (!message.includes('file:')) return message;
  let out = message;
  for (const f of folders) {
    const prefix = f.uri.endsWith('/') ? f.uri : `${f.uri}/`;
    out = out.split(prefix).join(folders.length > 1 ? `${f.name}/` : '');
  }
  return out;
}

/** The findings of `key` (text `text`) as the user should see them. */
export function present(key: string, text: string, findings: readonly Finding[], deps: PresentationDeps): Finding[] {
  const config = deps.config(key);
  if (isHelmTemplate(key, text)) return applyRuleConfig([helmTemplateFinding(key, text)], config);
  const kept = applyRuleConfig(unsuppressed(findings, deps.workspace.parsedFile(key), deps.workspace.resources(key), text), config);
  const folders = deps.folders();
  const related = kept.some((f) => f.data) ? relatedFinder(deps) : undefined;
  return kept.map((f) => dressed(f, 0, related, folders));
}

/** The related objects' places of `f` (file positions), or none. */
type Related = NonNullable<Finding['related']>;

/** What finds related places: made once per publish, and only if a finding names objects. */
function relatedFinder(deps: PresentationDeps): (f: Finding) => Related {
  const options = deps.options();
  const facts = deps.workspace.facts(options);
  return (f) =>
    relatedPlaces(f, facts, deps.workspace, options.settings.defaultNamespace).map(({ place, message }) => {
      const { uri, range } = uriOf(place);
      return { file: uri, range, message };
    });
}

/** `f` (relative to line `line`) as shown: relative message, related objects (looked up with file positions). */
function dressed(f: Finding, line: number, related: ((f: Finding) => Related) | undefined, folders: readonly WorkspaceFolder[]): Finding {
  const places = related && f.data ? related(line === 0 ? f : shiftFindings([f], line)[0]!) : [];
  const message = relativeMessage(f.message, folders);
  return places.length === 0 && message === f.message ? f : { ...f, message, ...(places.length > 0 ? { related: places } : {}) };
}

/** A block's presented findings, and what they were made from. */
interface Presented {
  source: BlockSource | undefined;
  config: RepoConfig;
  folders: readonly WorkspaceFolder[];
  /** Kept and re-rated by the configuration, relative to the block's line. */
  kept: readonly Finding[];
  /** `kept` as shown. */
  shown: readonly Finding[];
  /** Some of `kept` name related objects: looked up again on each publish. */
  relates: boolean;
}

/** A report's blocks as presented; `all()` places them. */
class PresentedReport implements FileFindings {
  private placedAll: readonly Finding[] | undefined;

  constructor(
    readonly blocks: readonly FindingBlock[],
    readonly sorted: boolean,
  ) {}

  all(): readonly Finding[] {
    if (this.placedAll) return this.placedAll;
    const out: Finding[] = [];
    for (const b of this.blocks) for (const f of shiftFindings(b.findings, b.line)) out.push(f);
    return (this.placedAll = this.sorted ? out : out.sort(byPosition));
  }
}

/**
 * `present` for the Workspace's report of one open document, block by block, with what each block gave kept
 * between publishes (see the top of this file). The same report object when nothing was changed by it.
 */
export class Presenter {
  /** Per block of findings (the Workspace hands out the same array while a segment's findings are unchanged). */
  private readonly blocks = new WeakMap<readonly Finding[], Presented>();
  /** Per file: whether it is a Helm template, for the document version it was decided for. */
  private readonly helm = new Map<string, { version: number; template: boolean }>();

  constructor(private readonly deps: PresentationDeps) {}

  present(key: string, document: { version: number; getText(): string }, report: FileFindings): FileFindings {
    const config = this.deps.config(key);
    if (this.isTemplate(key, document)) {
      const text = document.getText();
      const shown = applyRuleConfig([helmTemplateFinding(key, text)], config);
      return new PresentedReport(shown.length > 0 ? [{ line: 0, findings: shown }] : [], true);
    }
    const folders = this.deps.folders();
    let related: ((f: Finding) => Related) | undefined;
    const relatedNow = () => (related ??= relatedFinder(this.deps));
    let same = true;
    const blocks = report.blocks.map((b) => {
      const findings = this.block(key, b, config, folders, relatedNow);
      if (findings === b.findings) return b;
      same = false;
      return { line: b.line, findings, ...(b.source ? { source: b.source } : {}) };
    });
    return same ? report : new PresentedReport(blocks, report.sorted);
  }

  /** The path says templates/ (cheap), then the text, read once per document version. */
  private isTemplate(key: string, document: { version: number; getText(): string }): boolean {
    if (!isHelmTemplate(key, '{{')) return false;
    const known = this.helm.get(key);
    if (known?.version === document.version) return known.template;
    const template = isHelmTemplate(key, document.getText());
    this.helm.set(key, { version: document.version, template });
    return template;
  }

  private block(
    key: string,
    b: FindingBlock,
    config: RepoConfig,
    folders: readonly WorkspaceFolder[],
    relatedNow: () => (f: Finding) => Related,
  ): readonly Finding[] {
    let p = this.blocks.get(b.findings);
    if (!p || !b.source || p.source !== b.source || p.config !== config || p.folders !== folders) {
      const kept = this.kept(key, b, config);
      if (!kept) {
        // A finding outside its segment's documents: looked up in the file, each time (rare).
        const placed = shiftFindings(b.findings, b.line);
        const shown = applyRuleConfig(unsuppressedAt(key, placed, b.findings, this.deps.workspace), config);
        const related = shown.some((f) => f.data) ? relatedNow() : undefined;
        return shown.map((f) => dressed(f, b.line, related, folders));
      }
      const relates = kept.some((f) => f.data);
      const related = relates ? relatedNow() : undefined;
      const shown = kept.map((f) => dressed(f, b.line, related, folders));
      p = { source: b.source, config, folders, kept, shown: sameList(shown, b.findings) ? b.findings : shown, relates };
      this.blocks.set(b.findings, p);
      return p.shown;
    }
    if (!p.relates) return p.shown;
    // Related objects may have moved, or their facts changed: looked up again, the same objects while equal.
    const related = relatedNow();
    const shown = p.kept.map((f, i) => {
      const before = p!.shown[i]!;
      if (!f.data) return before;
      const places = related(b.line === 0 ? f : shiftFindings([f], b.line)[0]!);
      return samePlaces(places, before.related ?? []) ? before : dressed(f, b.line, () => places, folders);
    });
    if (!sameList(shown, p.shown)) p.shown = shown;
    return p.shown;
  }

  /** The block's findings not suppressed in their segment, re-rated; undefined if one is outside its segment's documents. */
  private kept(key: string, b: FindingBlock, config: RepoConfig): Finding[] | undefined {
    const source = b.source;
    if (!source) return undefined;
    if (b.findings.length === 0) return [];
    const marked = hasSuppressionMarker(source.text());
    const parsed = { file: key, docs: [...source.docs()], lineCount: -1 };
    const resources = marked ? source.resources() : [];
    const out: Finding[] = [];
    for (const f of b.findings) {
      const d = docAtPosition(parsed, f.range.start);
      if (!d) return undefined;
      if (!marked || !isSuppressed(f, d, resources)) out.push(f);
    }
    return applyRuleConfig(out, config);
  }
}

/**
 * The findings (`relative`, and the same `placed` with file positions) whose document, looked up in the file,
 * does not suppress them: the relative objects of those kept.
 */
function unsuppressedAt(key: string, placed: readonly Finding[], relative: readonly Finding[], workspace: Workspace): Finding[] {
  return relative.filter((_, i) => {
    const f = placed[i]!;
    const at = workspace.documentAt(key, f.range.start);
    const d = at && docAtPosition(at.parsed, f.range.start);
    return !d || !isSuppressed(f, d, at.resources);
  });
}

function samePlaces(a: Related, b: Related): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i]!;
    return x.file === y.file && x.message === y.message && sameRange(x.range, y.range);
  });
}

function sameRange(a: Finding['range'], b: Finding['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function sameList(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}
