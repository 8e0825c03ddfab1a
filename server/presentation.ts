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
 * on every publish (those objects may have moved): each keeps the objects it was found to name, anchored to their
 * segments, while the facts of their keys are the same, and is made again only when one of them moved.
 */
import type { WorkspaceFolder } from 'vscode-languageserver/node';
import { mapped } from '../core/arrays.js';
import { helmTemplateFinding, isHelmTemplate } from '../core/helm.js';
import type { Place } from '../core/navigation/index.js';
import { relatedPlaces, relatedTargets, type RelatedTarget } from '../core/navigation/related.js';
import { applyRuleConfig, type RepoConfig } from '../core/repoConfig.js';
import type { Facts } from '../core/facts.js';
import { shiftFindings } from '../core/shift.js';
import { hasSuppressionMarker, isSuppressed, unsuppressed } from '../core/suppress.js';
import type { Finding } from '../core/types.js';
import type { AnalyzeOptions, BlockSource, FileFindings, FindingBlock, Workspace } from '../core/workspace.js';
import { byPosition } from '../core/workspaceRun.js';
import { docAtPosition } from '../core/yaml/documents.js';
import { objectDocumentUri } from '../protocol/explorer.js';
import { newShape, shareShape, type Shape } from './diagnostics.js';

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
  return mapped(kept, (f) => dressed(f, 0, related, folders));
}

/** The related objects' places of `f` (file positions), or none. */
type Related = NonNullable<Finding['related']>;

/** What finds related places: made once per publish, and only if a finding names objects. */
function relatedFinder(deps: PresentationDeps): (f: Finding) => Related {
  const options = deps.options();
  const facts = deps.workspace.facts(options);
  return (f) =>
    mapped(relatedPlaces(f, facts, deps.workspace, options.settings.defaultNamespace), ({ place, message }) => {
      const { uri, range } = uriOf(place);
      return { file: uri, range, message };
    });
}

/** `f` (relative to line `line`) as shown: relative message, related objects (looked up with file positions). */
function dressed(f: Finding, line: number, related: ((f: Finding) => Related) | undefined, folders: readonly WorkspaceFolder[]): Finding {
  return withPlaces(f, related && f.data ? related(line === 0 ? f : shiftFindings([f], line)[0]!) : [], folders);
}

/** `f` with a relative message and the related objects `places` (file positions). */
function withPlaces(f: Finding, places: Related, folders: readonly WorkspaceFolder[]): Finding {
  const message = relativeMessage(f.message, folders);
  return places.length === 0 && message === f.message ? f : places.length > 0 ? withRelated(f, message, places) : { ...f, message };
}

/**
 * `{ ...f, message, related }`, the same keys in the same order. Not a spread: on Node 20 a spread that adds a
 * property (here `related`) gives each object it makes a hidden class of its own (a new map and descriptor array,
 * ~300 bytes, per finding re-placed at each edit, and megamorphic reads in the writer); assigned onto a literal, the
 * objects share the maps of one transition tree (bench/README.md, 2026-12-02).
 */
function withRelated(f: Finding, message: string, related: Related): Finding {
  return Object.assign({}, f, { message, related });
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
  /** Per kept finding that names objects, the objects as last looked up (placed again on each publish). */
  related: (Resolved | undefined)[] | undefined;
  /**
   * The indices in `kept` of the findings that name objects: the publish loops over these instead of reading
   * `data` of every finding (findings of many rules have many shapes: a megamorphic load, the hottest line of
   * the presentation in a server profile of the bundle's edits).
   */
  naming: readonly number[];
  /** The block last handed out for these findings (the same object while its line and findings are). */
  block: FindingBlock | undefined;
}

/**
 * The objects one finding names, as looked up: valid while the facts object, the namespace and the version of each
 * key looked up are the same; only where each found object's segment starts is read again on each publish (an
 * anchor's line), so an edit that moves those objects costs a rope walk per object, not a fact lookup.
 */
interface Resolved {
  facts: Facts;
  namespace: string;
  /** The version of each key looked up, as it is now, and as it was when looked up. */
  versions: readonly { readonly n: number }[];
  seen: readonly number[];
  /** The Workspace's `factVersionsTick` when `seen` was last found to hold: while it is the same, `seen` holds. */
  checked: number;
  /** The finding's start line, relative to its block's. */
  ownLine: number;
  targets: readonly RelatedTarget[];
  /** A target read through a file's objects (a file not analysed here): looked up again on each publish. */
  volatile: boolean;
  /** Per set of targets shown (one bit each), what diagnostics.ts shares between diagnostics that differ only in lines. */
  shapes: Map<number, Shape>;
  /** Per target: whether it is in the finding's own file (then not shown when on the finding's line). */
  inFile: readonly boolean[];
  /** Per target, as shown (for an anchored one: with the line it was found at), and the line of its name. */
  fixed: readonly Related[number][];
  fixedLines: readonly number[];
  /** The finding last shown with these targets, which of them it shows (one bit each), and each one's line. */
  shown: Finding | undefined;
  mask: number;
  lines: number[];
  /** The Workspace's `linesEpoch` and the block's line when `shown` was last placed. */
  placedEpoch: number;
  placedLine: number;
}

/** What related objects are looked up with, read once per publish. */
interface Lookup {
  facts: Facts;
  namespace: string;
  /** The Workspace's `factVersionsTick`. */
  tick: number;
  /** The Workspace's `linesEpoch`. */
  epoch: number;
}

function sameVersions(r: Resolved, tick: number): boolean {
  if (r.checked === tick) return true;
  for (let j = 0; j < r.versions.length; j++) if (r.versions[j]!.n !== r.seen[j]) return false;
  r.checked = tick;
  return true;
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
      return new PresentedReport(shown.length > 0 ? [{ line: 0, findings: shown, source: undefined }] : [], true);
    }
    const folders = this.deps.folders();
    let related: ((f: Finding) => Related) | undefined;
    const relatedNow = () => (related ??= relatedFinder(this.deps));
    let lookup: Lookup | undefined;
    const lookupNow = (): Lookup => {
      if (lookup) return lookup;
      const options = this.deps.options();
      const ws = this.deps.workspace;
      return (lookup = { facts: ws.facts(options), namespace: options.settings.defaultNamespace, tick: ws.factVersionsTick(), epoch: ws.linesEpoch() });
    };
    let same = true;
    const blocks = mapped(report.blocks, (b) => {
      const p = this.block(key, b, config, folders, relatedNow, lookupNow);
      const findings = p ? p.shown : this.outside(key, b, config, folders, relatedNow);
      if (findings === b.findings) return b;
      same = false;
      if (p && p.block?.line === b.line && p.block.findings === findings) return p.block;
      // The Workspace's block literal (same fields, same order): one hidden class for the blocks writeReport reads.
      const block: FindingBlock = { line: b.line, findings, source: b.source };
      if (p) p.block = block;
      return block;
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

  /** The block's presented findings (undefined for a block with a finding outside its segment's documents). */
  private block(
    key: string,
    b: FindingBlock,
    config: RepoConfig,
    folders: readonly WorkspaceFolder[],
    relatedNow: () => (f: Finding) => Related,
    lookupNow: () => Lookup,
  ): Presented | undefined {
    let p = this.blocks.get(b.findings);
    if (!p || !b.source || p.source !== b.source || p.config !== config || p.folders !== folders) {
      const kept = this.kept(key, b, config);
      if (!kept) return undefined;
      const naming: number[] = [];
      kept.forEach((f, i) => f.data && naming.push(i));
      const related = naming.length > 0 ? mapped(kept, () => undefined) : undefined;
      const shown = mapped(kept, (f) => dressed(f, b.line, undefined, folders));
      p = { source: b.source, config, folders, kept, shown: sameList(shown, b.findings) ? b.findings : shown, related, naming, block: undefined };
      this.blocks.set(b.findings, p);
    }
    const related = p.related;
    if (!related) return p;
    // Related objects may have moved, or their facts changed: placed again, the same finding objects while equal.
    const { facts, namespace, tick, epoch } = lookupNow();
    let shown: Finding[] | undefined;
    const naming = p.naming;
    for (let k = 0; k < naming.length; k++) {
      const i = naming[k]!;
      const f = p.kept[i]!;
      const before = p.shown[i]!;
      let r = related[i];
      if (!r || r.volatile || r.facts !== facts || r.namespace !== namespace || !sameVersions(r, tick)) {
        r = this.resolve(f, facts, namespace, tick);
        related[i] = r;
      }
      const next = this.placeRelated(f, b.line, r, before, epoch);
      if (next !== before) (shown ??= [...p.shown])[i] = next;
    }
    if (shown) p.shown = shown;
    return p;
  }

  /** A block with a finding outside its segment's documents: looked up in the file, each time (rare). */
  private outside(key: string, b: FindingBlock, config: RepoConfig, folders: readonly WorkspaceFolder[], relatedNow: () => (f: Finding) => Related): readonly Finding[] {
    const placed = shiftFindings(b.findings, b.line);
    const shown = applyRuleConfig(unsuppressedAt(key, placed, b.findings, this.deps.workspace), config);
    const related = shown.some((f) => f.data) ? relatedNow() : undefined;
    return mapped(shown, (f) => dressed(f, b.line, related, folders));
  }

  /** Looks up the objects `f` names (with the versions of what it looked up, as the lookup saw them). */
  private resolve(f: Finding, facts: Facts, namespace: string, tick: number): Resolved {
    const ws = this.deps.workspace;
    const { keys, targets } = relatedTargets(f, facts, ws, namespace);
    const versions = mapped(keys, (k) => ws.factVersionCell(k.kind, k.key));
    return {
      facts,
      namespace,
      versions,
      seen: mapped(versions, (v) => v.n),
      checked: tick,
      ownLine: f.range.start.line,
      targets,
      volatile: targets.some((t) => !t.anchor && 'file' in t.place),
      inFile: mapped(targets, (t) => 'file' in t.place && t.place.file === f.file),
      fixed: mapped(targets, (t) => {
        const { uri, range } = uriOf(t.place);
        return { file: uri, range, message: t.message };
      }),
      fixedLines: mapped(targets, (t) => ('file' in t.place ? t.place.selection.start.line : -1)),
      shapes: new Map(),
      shown: undefined,
      mask: -1,
      lines: mapped(targets, () => Number.NaN),
      placedEpoch: -1,
      placedLine: -1,
    };
  }

  /** `f` (relative to `line`) with its related objects where they are now: `before` itself when nothing moved. */
  private placeRelated(f: Finding, line: number, r: Resolved, before: Finding, epoch: number): Finding {
    // Nothing moved since `before` was made here (no line added or removed anywhere, the same block line).
    if (r.placedEpoch === epoch && r.placedLine === line && r.shown === before) return before;
    r.placedEpoch = epoch;
    r.placedLine = line;
    // Where each object is now, and which are shown (one on the finding's own line in its own file is not): nothing
    // else about them changes while r holds.
    const ownLine = r.ownLine + line;
    const lines = r.lines;
    let moved = r.shown !== before;
    // One bit per target: a finding names at most three objects (related.ts relatedTargets).
    let mask = 0;
    for (let i = 0; i < r.targets.length; i++) {
      const anchor = r.targets[i]!.anchor;
      const at = anchor ? anchor.range.start.line + anchor.line() : r.fixedLines[i]!;
      if (lines[i] !== at) {
        lines[i] = at;
        moved = true;
      }
      if (!(r.inFile[i] && at === ownLine)) mask |= 1 << i;
    }
    if (!moved && mask === r.mask) return before;
    r.mask = mask;
    const places: Related = [];
    for (let i = 0; i < r.targets.length; i++) {
      if (!(mask & (1 << i))) continue;
      const t = r.targets[i]!;
      const a = t.anchor;
      if (!a) {
        places.push(r.fixed[i]!);
        continue;
      }
      const at = lines[i]!;
      const range = { start: { line: at, character: a.range.start.character }, end: { line: at + a.range.end.line - a.range.start.line, character: a.range.end.character } };
      places.push({ file: r.fixed[i]!.file, range, message: t.message });
    }
    let shown = before;
    if (!samePlaces(places, before.related ?? [])) {
      // The places are made here: `dressed` would shift the finding only to hand it to a lookup not made. The
      // message is before's: f's made relative with these folders (the block is presented anew when they change).
      const message = before.message;
      shown = places.length > 0 ? withRelated(f, message, places) : message === f.message ? f : { ...f, message };
      if (places.length > 0) {
        let shape = r.shapes.get(mask);
        if (!shape) r.shapes.set(mask, (shape = newShape()));
        shareShape(shown, shape);
      }
    }
    r.shown = shown;
    return shown;
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

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
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
