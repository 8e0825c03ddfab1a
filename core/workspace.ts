/**
 * The analysis entry point: a set of files, indexed together so that a PVC in one file resolves a
 * VolumeSnapshot in another. Adapters keep one Workspace and feed it file changes.
 *
 * An edit costs what it touches. Each file is a rope of document segments (core/yaml/file.ts): an edit
 * re-splits and re-parses only the segments around it. Each segment keeps its own findings, relative to its
 * first line, so a document that moved keeps them as they are; they are placed (shifted) when handed out. The
 * facts are an index updated per changed document (workspaceIndex.ts), compared by value, and every facts
 * reading rule records which facts it read (workspaceLookups.ts): a changed fact re-runs exactly the documents
 * that read it, and an edit that changes no fact (a comment) re-runs no other document.
 */
import { mapped } from './arrays.js';
import { checkDatamover } from './datamover/checks.js';
import { datamoverRole } from './datamover/layout.js';
import { DatamoverSet } from './datamover/set.js';
import type { LocalFiles } from './datamover/types.js';
import type { ClusterFactsProvider, Facts } from './facts.js';
import type { FactKind } from './kinds/index.js';
import { layerFacts, noCluster } from './facts.js';
import type { ClaimAction } from './claimSpecs/actions.js';
import { claimActionsAt } from './claimSpecs/actions.js';
import { forgetDerived } from './forget.js';
import type { ClaimPreview } from './claimSpecs/preview.js';
import { claimPreviews } from './claimSpecs/preview.js';
import type { CompletionResult, ProviderErrorHandler } from './completion/index.js';
import { complete } from './completion/index.js';
import { completionProviders } from './completion/providers/index.js';
import type { HoverInfo } from './hover.js';
import { hoverAt } from './hover.js';
import type { ProbeSubjects } from './probe/subjects.js';
import { probeSubjectsAt } from './probe/subjects.js';
import type { Resource } from './resources.js';
import { resourcesOf } from './resources.js';
import { rules } from './rules/index.js';
import type { RuleRunner } from './rules/rule.js';
import { shiftFindings, shiftRange } from './shift.js';
import type { Finding, Position, Range, Settings, SourceFile } from './types.js';
import { defaultSettings } from './types.js';
import { factOf } from './workspaceFacts.js';
import { FactIndex, factKey, type Contribution, type NameAnchor } from './workspaceIndex.js';
import { lookupKeys, lookupsHold, recordingFacts, type Lookups } from './workspaceLookups.js';
import { byPosition, runRules, tiers, type RuleErrorHandler, type RuleTiers } from './workspaceRun.js';
import { DocumentCache } from './yaml/cache.js';
import { linesEpochNow } from './yaml/rope.js';
import { locate, type EditHint, type ParsedFile, type YamlDoc } from './yaml/documents.js';
import { YamlFile, type FileChange, type Segment } from './yaml/file.js';

export type { EditHint } from './yaml/documents.js';
export type { NameAnchor } from './workspaceIndex.js';
export type { HoverInfo } from './hover.js';
export type { RuleErrorHandler } from './workspaceRun.js';

export interface AnalyzeOptions {
  settings: Settings;
  /** Live facts; `noCluster` when none is connected. */
  cluster?: ClusterFactsProvider;
  /** What is on disk next to datamover index files (qcow2 files and their sizes); unknown when absent. */
  localFiles?: LocalFiles;
  /**
   * The facts to analyse against instead of this workspace's own layered over the cluster's: a run split over
   * several workspaces (the CLI's worker threads) passes the facts of all of them (`sharedFacts`).
   */
  facts?: Facts;
}

/** A fact one object contributes, where it is: its file, its segment's index in the file, its place in it. */
export interface ContributedFact {
  file: string;
  kind: FactKind;
  key: string;
  fact: unknown;
  position: number;
  sub: number;
}

export interface WorkspaceOptions {
  /** Parsed segments shared by text across files and edits (default 20,000). */
  cacheEntries?: number;
  /**
   * Every file is set, then analysed, once, with one set of options (the CLI): the facts each document reads
   * are not recorded, since no change will ask which documents to run again. Setting a file after an analysis
   * is then a bug (it throws). Once a file's findings are handed out, its parse, objects and findings are dropped
   * (only the facts it contributes stay): asking for its findings, objects or documents again throws.
   */
  oneShot?: boolean;
}

/** The dependencies of a segment that read no fact yet: one set for all (`depend` replaces, never adds to, it). */
const noDeps: ReadonlySet<string> = new Set();

/** What a segment needs computed again. */
const LOCAL = 1;
const FACTS = 2;

interface DocState {
  local: Finding[];
  factual: Finding[];
  lookups: Lookups;
  readsIndex: boolean;
}

interface SegState {
  entry: Entry;
  need: number;
  docs: DocState[];
  /** The resources of each document, as rules see them (positions relative to the segment). */
  resources: Resource[][] | undefined;
  contributions: Contribution[];
  /** Dependency keys of the facts its rules read (registered in `Workspace.dependents`). */
  deps: ReadonlySet<string>;
  /** All its documents' findings, relative to its first line, sorted. */
  findings: Finding[];
  /** The same as a block at the line they were last handed out for. */
  placed: Placed | undefined;
  /** The segment as blocks name it (made on first use, then the same object while the segment is in the file). */
  source: BlockSource | undefined;
  settingsEpoch: number;
  clusterEpoch: number;
}

type Seg = Segment<SegState>;

interface Entry {
  file: string;
  /** Order of first addition: of two definitions of one object, the earlier file's wins. */
  rank: number;
  yaml: YamlFile<SegState>;
  /** Segments with `need` set. */
  dirty: Set<Seg>;
  /** Segments whose findings name their document's index (renumbered when documents are added above); made on first use. */
  indexReaders: Set<Seg> | undefined;
  analysed: boolean;
  /** Set by `indexFile`: the file's parse is dropped once its facts are read. */
  indexOnly: boolean;
  /** One-shot: its findings were handed out and its parse, objects and findings dropped (`spend`). */
  spent: boolean;
  report: FileFindings | undefined;
  /** `resources(file)` of an analysed file: the same array until the file changes (adapters memoise on it). */
  resources: Resource[] | undefined;
  settingsEpoch: number;
  clusterEpoch: number;
}

export class Workspace {
  private readonly entries = new Map<string, Entry>();
  /** OADP kubevirt datamover index files (JSON), checked together rather than as Kubernetes manifests. */
  private readonly datamover = new DatamoverSet();
  private readonly docCache: DocumentCache;
  private readonly tiers: RuleTiers;
  private readonly index = new FactIndex();
  private readonly dependents = new Map<string, Set<Seg>>();
  private nextRank = 0;
  /** The namespace the contributed facts were read with (objects naming none are in it). */
  private namespace = defaultSettings.defaultNamespace;
  private settings: Settings = defaultSettings;
  private settingsKey = JSON.stringify(defaultSettings);
  private settingsEpoch = 0;
  private cluster: ClusterFactsProvider = noCluster;
  private given: Facts | undefined;
  private clusterEpoch = 0;
  /** The index's facts over the cluster's: what rules read. */
  private layered: Facts;
  private readonly oneShot: boolean;
  private analysedOnce = false;
  /** Files were set in one-shot mode since the index was last committed. */
  private unsettled = false;

  constructor(
    private readonly onRuleError: RuleErrorHandler = () => undefined,
    ruleSet: readonly RuleRunner[] = rules,
    options: WorkspaceOptions = {},
  ) {
    this.tiers = tiers(ruleSet);
    this.docCache = new DocumentCache(options.cacheEntries ?? 20_000);
    this.layered = layerFacts(this.index.facts, noCluster);
    this.oneShot = options.oneShot ?? false;
  }

  /**
   * Adds or replaces a file. Never throws on bad YAML (that becomes findings). `hint` says where the text
   * changed since the last call for this file (an editor knows): only the documents around it are re-read.
   */
  setFile(file: string, text: string, hint?: EditHint): void {
    this.put(file, text, hint, false);
  }

  /**
   * `setFile` for a file the caller does not analyse (a file on disk that is not open): it keeps its text and
   * the facts it contributes, not its parse, which is read again if the file is analysed.
   */
  indexFile(file: string, text: string): void {
    this.put(file, text, undefined, true);
  }

  private put(file: string, text: string, hint: EditHint | undefined, indexOnly: boolean): void {
    if (this.oneShot && this.analysedOnce) throw new Error(`a one-shot Workspace was given ${file} after an analysis`);
    const role = datamoverRole(file, text);
    if (role) {
      if (this.entries.has(file)) this.removeFile(file);
      this.datamover.set(file, text, role);
      return;
    }
    this.datamover.remove(file);
    let entry = this.entries.get(file);
    let change: FileChange<SegState> | undefined;
    if (!entry) {
      const yaml = new YamlFile<SegState>(text, this.docCache);
      entry = {
        file,
        rank: this.nextRank++,
        yaml,
        dirty: new Set(),
        indexReaders: undefined,
        analysed: false,
        indexOnly,
        spent: false,
        report: undefined,
        resources: undefined,
        settingsEpoch: this.settingsEpoch,
        clusterEpoch: this.clusterEpoch,
      };
      this.entries.set(file, entry);
      change = { removed: [], added: yaml.segments(), docsDelta: 0 };
    } else {
      change = hint ? entry.yaml.applyHint(text, hint) : undefined;
      if (!change && entry.yaml.length === text.length && entry.yaml.text() === text) change = { removed: [], added: [], docsDelta: 0 };
      change ??= entry.yaml.setText(text);
    }
    if (indexOnly && !entry.indexOnly) {
      entry.indexOnly = true;
      entry.analysed = false;
      entry.resources = undefined;
      for (const s of entry.yaml.segments()) this.release(s);
    }
    entry.indexOnly = indexOnly;
    this.changed(entry, change);
    // A one-shot Workspace is given every file before its first analysis, and nothing depends on a fact yet: the
    // index is committed once, when first read (sync), not once per file.
    if (this.oneShot) this.unsettled = true;
    else this.settle();
  }

  /**
   * Applies editor changes to a YAML file already here, each `range` in the text the change before left (LSP's
   * incremental sync), without the rest of the text: the cost is the edited documents'. False when the file is
   * not a YAML file here, or when its length after the edits is not `expectedLength`: then set the whole text.
   */
  editFile(file: string, changes: readonly { range: Range; text: string }[], expectedLength?: number): boolean {
    const entry = this.entryOf(file);
    if (!entry) return false;
    for (const c of changes) this.changed(entry, entry.yaml.applyEdit(c.range, c.text));
    this.settle();
    return expectedLength === undefined || entry.yaml.length === expectedLength;
  }

  private changed(entry: Entry, change: FileChange<SegState>): void {
    for (const s of change.removed) this.detach(s);
    for (const s of change.added) this.attach(entry, s);
    if (change.docsDelta !== 0) for (const s of entry.indexReaders ?? []) this.mark(s, LOCAL);
    if (change.removed.length > 0 || change.added.length > 0) {
      entry.report = undefined;
      entry.resources = undefined;
    }
    if (entry.indexOnly) for (const s of change.added) this.release(s);
  }

  removeFile(file: string): void {
    if (this.datamover.remove(file)) return;
    const entry = this.entries.get(file);
    if (!entry) return;
    this.entries.delete(file);
    for (const s of entry.yaml.segments()) this.detach(s);
    this.settle();
  }

  has(file: string): boolean {
    return this.entries.has(file) || this.datamover.has(file);
  }

  files(): string[] {
    return [...this.entries.keys(), ...this.datamover.all().map((e) => e.file)];
  }

  /** Number of YAML documents in a file (0 when it is not here). */
  documentCount(file: string): number {
    return this.entries.get(file)?.yaml.rope.docs ?? 0;
  }

  /**
   * The documents of one YAML file with file positions (navigation and symbols read them; treat as read-only).
   * Made on each call from the rope: it costs the file, so the edit path never asks.
   */
  parsedFile(file: string): ParsedFile | undefined {
    const entry = this.entryOf(file);
    return entry && { file, docs: entry.yaml.segments().flatMap((s) => [...s.placed()]), lineCount: entry.yaml.lineCount };
  }

  /**
   * The document holding `position` (file positions) and its objects, with the file's line count: what
   * `parsedFile` and `resources` give for that one document, at the cost of the one document.
   */
  documentAt(file: string, position: Position): { parsed: ParsedFile; resources: Resource[] } | undefined {
    const entry = this.entryOf(file);
    const d = entry?.yaml.docAt(position);
    return d && { parsed: { file, docs: [d], lineCount: entry!.yaml.lineCount }, resources: resourcesOf(file, d) };
  }

  /**
   * Where the last object of a fact kind under `key` (`namespace/name`, or `name`) in an analysed `file` has its
   * `metadata.name`, as `resources(file)` would locate it, at the cost of that object: the presentation's related
   * places. Null when the file is not analysed here (then read `resources`); undefined when it holds no such object.
   */
  objectNameRange(file: string, kind: FactKind, key: string): Range | undefined | null {
    const anchor = this.objectNameAnchor(file, kind, key);
    return anchor && shiftRange(anchor.range, anchor.line());
  }

  /**
   * `objectNameRange` as a range relative to the first line of the object's segment and that line, looked up when
   * asked (a rope walk): what it gives holds, but for that line, while `factVersion(kind, key)` is the same.
   */
  objectNameAnchor(file: string, kind: FactKind, key: string): NameAnchor | undefined | null {
    const entry = this.entryOf(file);
    if (!entry || entry.indexOnly || !entry.analysed) return null;
    const mine = this.index.contributionsOf(kind, key).filter((c) => c.rank === entry.rank);
    // Of several (an object defined twice in the file), the last, as a map of the file's objects by key keeps.
    const last = mine.length <= 1 ? mine[0] : mine.reduce((a, b) => (b.position() * 1e9 + b.sub > a.position() * 1e9 + a.sub ? b : a));
    return last?.nameAnchor?.();
  }

  /**
   * A number that changes whenever an object of `kind` under `key` is added, removed or edited in any file (also
   * by a comment), or the facts are read again with another default namespace.
   */
  factVersion(kind: FactKind, key: string): number {
    return this.index.version(factKey(kind, key));
  }

  /**
   * A number that changes whenever any `factVersion` does: while it is the same, every version read before still
   * holds (an adapter holding many versions checks this one first).
   */
  factVersionsTick(): number {
    return this.index.versionsTick();
  }

  /**
   * A number that changes whenever a segment of any file may have moved to another line (an edit that added or
   * removed lines): while it is the same, every `objectNameAnchor`'s `line()` gives what it gave.
   */
  linesEpoch(): number {
    return linesEpochNow();
  }

  /** `factVersion` of one kind and key as a cell whose `n` it is, for asking often. */
  factVersionCell(kind: FactKind, key: string): { readonly n: number } {
    return this.index.versionCell(factKey(kind, key));
  }

  /** Recognised objects of one file, with file positions (for adapters that list them). */
  resources(file: string): Resource[] {
    const entry = this.entryOf(file);
    if (!entry) return [];
    if (entry.resources) return entry.resources;
    const all = entry.yaml.segments().flatMap((s) => s.placed().flatMap((d) => resourcesOf(file, d)));
    // Files only indexed keep no parse: nor do they keep this.
    if (!entry.indexOnly) entry.resources = all;
    return all;
  }

  /** Facts from every file in the workspace, layered over the cluster's. */
  facts(options: AnalyzeOptions): Facts {
    this.sync(options);
    return this.layered;
  }

  /** Findings for one file, sorted by position. */
  analyzeFile(file: string, options: AnalyzeOptions): Finding[] {
    return [...this.findingsOf(file, options)];
  }

  /**
   * The same as `analyzeFile`, without the copy: the very same array (and finding objects) while nothing in the
   * file's findings changed, so an adapter can tell. Read-only.
   */
  findingsOf(file: string, options: AnalyzeOptions): readonly Finding[] {
    const found = this.report(file, options).all();
    // (`report` hands out blocks whose sources read the segments: a one-shot file is spent here, not there.)
    if (this.oneShot) this.spend(file);
    return found;
  }

  /**
   * A file's findings as they are kept: per document segment, relative to its first line. An adapter that
   * converts findings anyway (a language server making diagnostics) places them itself, and skips the blocks it
   * converted before at the same line. The same object while nothing in the file's findings changed.
   */
  report(file: string, options: AnalyzeOptions): FileFindings {
    if (this.datamover.has(file)) {
      let findings: Finding[];
      try {
        findings = checkDatamover(this.datamover, options.localFiles, file).sort(byPosition);
      } catch (e) {
        this.onRuleError('datamover', file, e);
        findings = [];
      }
      return new Report(findings.length > 0 ? [{ line: 0, findings }] : [], true);
    }
    const entry = this.entryOf(file);
    if (!entry) return new Report([], true);
    this.sync(options);
    this.analysedOnce = true;
    entry.analysed = true;
    entry.indexOnly = false;
    this.bringUp(entry);
    let changed = false;
    for (const s of entry.dirty) changed = this.run(s) || changed;
    entry.dirty.clear();
    if (changed) entry.report = undefined;
    return (entry.report ??= this.assemble(entry));
  }

  /**
   * A one-shot file whose findings are handed out: nothing will read its parse, objects or findings again, and
   * kept to the end of the run they were most of what each scavenge copied and most of the heap (bench/README.md,
   * lintgc). What stays is what the index reads: the segments in the rope and their contributions.
   */
  private spend(file: string): void {
    const entry = this.entries.get(file);
    if (!entry) return;
    entry.spent = true;
    entry.report = undefined;
    entry.resources = undefined;
    for (const s of entry.yaml.segments()) {
      const st = s.state!;
      if (s.isHeld) forgetDerived(s.parsed, st.resources);
      s.drop();
      st.resources = undefined;
      // Emptied in place: an old-generation array left pointing at young objects keeps them through scavenges.
      st.docs.length = 0;
      st.findings = [];
      st.placed = undefined;
      st.source = undefined;
    }
  }

  /** The entry of a file, for a read of its parse, objects or findings: none of them is left of a spent one. */
  private entryOf(file: string): Entry | undefined {
    const entry = this.entries.get(file);
    if (entry?.spent) throw new Error(`a one-shot Workspace was asked again about ${file}, whose findings it handed out and dropped`);
    return entry;
  }

  /** Hover text at a position (a quantity's bytes, a restore PVC's predicted render), if any. */
  hover(file: string, position: Position, options: AnalyzeOptions): HoverInfo | undefined {
    const entry = this.entryOf(file);
    if (!entry) return undefined;
    this.sync(options);
    const d = entry.yaml.docAt(position);
    return d && hoverAt(d, resourcesOf(file, d), position, this.layered, options.settings);
  }

  /** Completion items at a position (core/completion): empty outside the providers' contexts. */
  complete(file: string, position: Position, options: AnalyzeOptions, onError?: ProviderErrorHandler): CompletionResult {
    const entry = this.entryOf(file);
    if (!entry) return { items: [], isIncomplete: false };
    const facts = this.facts(options);
    // The one document at the cursor, with file positions: completion reads nothing else of the file.
    const d = entry.yaml.docAt(position);
    return complete({ file, docs: d ? [d] : [], lineCount: entry.yaml.lineCount }, position, facts, options.settings, completionProviders, onError);
  }

  /** The claim actions (fill, expand, convert, show the render) at a range of a file. */
  claimActions(file: string, range: Range, options: AnalyzeOptions): ClaimAction[] {
    const entry = this.entryOf(file);
    if (!entry) return [];
    const facts = this.facts(options);
    return claimActionsAt(this.resourcesAcross(entry, range), range, facts, options.settings);
  }

  /** The render preview of every claim of a file (Show CDI render). */
  claimPreviews(file: string, options: AnalyzeOptions): ClaimPreview[] {
    if (!this.entries.has(file)) return [];
    const facts = this.facts(options);
    return claimPreviews(this.resources(file), facts, options.settings);
  }

  /**
   * The resources of the documents a range touches, with file positions: a code action request comes with every
   * cursor move, and should cost the documents under the cursor, not the file.
   */
  private resourcesAcross(entry: Entry, range: Range): Resource[] {
    if (range.end.line - range.start.line > 1_000) return this.resources(entry.file);
    const out: Resource[] = [];
    let last: YamlDoc | undefined;
    for (let line = range.start.line; line <= range.end.line; line++) {
      const d = entry.yaml.docAt({ line, character: 0 });
      if (d && !(last && d.index === last.index)) out.push(...resourcesOf(entry.file, d));
      if (d) last = d;
    }
    return out;
  }

  /** Takes in new settings or cluster facts; a new namespace re-reads every contributed fact. */
  private sync(options: AnalyzeOptions): void {
    if (this.unsettled) {
      this.unsettled = false;
      this.settle();
    }
    const settings = options.settings;
    if (settings !== this.settings) {
      this.settings = settings;
      const key = JSON.stringify(settings);
      if (key !== this.settingsKey) {
        this.settingsKey = key;
        this.settingsEpoch++;
      }
    }
    if (settings.defaultNamespace !== this.namespace) {
      // The facts of spent files cannot be read again (their objects are dropped).
      if (this.oneShot && this.analysedOnce) throw new Error('a one-shot Workspace was asked for another default namespace after an analysis');
      this.namespace = settings.defaultNamespace;
      for (const entry of this.entries.values()) {
        for (const s of entry.yaml.segments()) {
          this.uncontribute(s);
          this.contribute(s);
          if (entry.indexOnly && !entry.analysed) this.release(s);
        }
      }
      this.settle();
    }
    const cluster = options.cluster ?? noCluster;
    if (cluster !== this.cluster || options.facts !== this.given) {
      this.cluster = cluster;
      this.given = options.facts;
      this.layered = options.facts ?? layerFacts(this.index.facts, cluster);
      this.clusterEpoch++;
    }
  }

  /** Every fact the files contribute, with where it is (for a run split over several workspaces). */
  contributedFacts(): ContributedFact[] {
    const out: ContributedFact[] = [];
    for (const entry of this.entries.values()) {
      for (const s of entry.yaml.segments()) {
        for (const c of s.state!.contributions) out.push({ file: entry.file, kind: c.kind, key: c.key, fact: c.fact, position: c.position(), sub: c.sub });
      }
    }
    return out;
  }

  /** After new settings, every facts-reading finding is computed again; after a new cluster, those it changed. */
  private bringUp(entry: Entry): void {
    if (entry.settingsEpoch === this.settingsEpoch && entry.clusterEpoch === this.clusterEpoch) return;
    const all = entry.settingsEpoch !== this.settingsEpoch;
    for (const s of entry.yaml.segments()) {
      const st = s.state!;
      if (all || st.docs.some((d) => !lookupsHold(d.lookups, this.layered))) this.mark(s, FACTS);
    }
    entry.settingsEpoch = this.settingsEpoch;
    entry.clusterEpoch = this.clusterEpoch;
  }

  private attach(entry: Entry, s: Seg): void {
    s.state = {
      entry,
      need: LOCAL | FACTS,
      docs: [],
      resources: undefined,
      contributions: [],
      deps: noDeps,
      findings: [],
      placed: undefined,
      source: undefined,
      settingsEpoch: this.settingsEpoch,
      clusterEpoch: this.clusterEpoch,
    };
    this.contribute(s);
    entry.dirty.add(s);
  }

  private detach(s: Seg): void {
    const st = s.state!;
    this.uncontribute(s);
    this.depend(s, new Set());
    st.entry.dirty.delete(s);
    st.entry.indexReaders?.delete(s);
  }

  /** `resourcesOf` for the contributions (one function, not a closure per contribution). */
  private readonly segmentResources = (s: Seg): Resource[][] => this.resourcesOf(s);

  private resourcesOf(s: Seg): Resource[][] {
    const st = s.state!;
    // `mapped`, not `map`: the rules optimized on the open's arrays deoptimized on the first edit's (core/arrays.ts).
    return (st.resources ??= mapped(s.relative(), (d) => resourcesOf(st.entry.file, d)));
  }

  private contribute(s: Seg): void {
    const st = s.state!;
    this.resourcesOf(s).forEach((resources, nth) =>
      resources.forEach((r, i) => {
        const found = factOf(r, this.namespace);
        if (!found) return;
        const c = new SegmentContribution(found.kind, found.key, found.fact, st.entry.rank, nth * 1_000_000 + i, s, this.segmentResources);
        st.contributions.push(c);
        this.index.add(c);
      }),
    );
    if (st.contributions.length > 0) st.contributions = st.contributions.slice(); // kept: at its length
  }

  private uncontribute(s: Seg): void {
    const st = s.state!;
    for (const c of st.contributions) this.index.remove(c);
    st.contributions = [];
  }

  /** Commits the index; documents that read a fact that changed run their facts rules again. */
  private settle(): void {
    for (const key of this.index.commit()) for (const s of this.dependents.get(key) ?? []) this.mark(s, FACTS);
  }

  private mark(s: Seg, need: number): void {
    const st = s.state!;
    st.need |= need;
    st.entry.dirty.add(s);
  }

  /** Replaces a segment's registered dependencies with `keys`. */
  private depend(s: Seg, keys: Set<string>): void {
    const st = s.state!;
    for (const k of st.deps) {
      if (keys.has(k)) continue;
      const set = this.dependents.get(k);
      set?.delete(s);
      if (set?.size === 0) this.dependents.delete(k);
    }
    for (const k of keys) {
      if (st.deps.has(k)) continue;
      const set = this.dependents.get(k);
      if (set) set.add(s);
      else this.dependents.set(k, new Set([s]));
    }
    st.deps = keys;
  }

  private release(s: Seg): void {
    s.release();
    s.state!.resources = undefined;
  }

  /** Runs what a segment needs; true when its findings changed. */
  private run(s: Seg): boolean {
    const st = s.state!;
    const file = st.entry.file;
    const docs = s.relative();
    const resources = this.resourcesOf(s);
    const need = st.docs.length === docs.length ? st.need : LOCAL | FACTS;
    docs.forEach((d, i) => {
      const ds = (st.docs[i] ??= { local: [], factual: [], lookups: [], readsIndex: false });
      if (need & LOCAL) {
        d.readIndex = false;
        ds.local = runRules(this.tiers.document, file, d, resources[i]!, this.layered, this.settings, false, this.onRuleError);
        ds.readsIndex = d.readIndex;
      }
      if (need & FACTS) {
        const lookups: Lookups = [];
        ds.factual = runRules(this.tiers.facts, file, d, resources[i]!, this.oneShot ? this.layered : recordingFacts(this.layered, lookups), this.settings, true, this.onRuleError);
        // Kept with the document: at its length (an array grown by push has room for 17 or more).
        ds.lookups = lookups.length > 0 ? lookups.slice() : lookups;
      }
    });
    st.need = 0;
    if (!this.oneShot) {
      const keys = new Set<string>();
      for (const ds of st.docs) lookupKeys(ds.lookups, keys);
      this.depend(s, keys);
    }
    if (st.docs.some((ds) => ds.readsIndex)) (st.entry.indexReaders ??= new Set()).add(s);
    else st.entry.indexReaders?.delete(s);
    const findings: Finding[] = [];
    for (const ds of st.docs) for (const f of [...ds.local, ...ds.factual]) findings.push(f);
    findings.sort(byPosition);
    if (sameFindings(findings, st.findings)) return false;
    st.findings = findings;
    st.placed = undefined;
    const before = s.marks;
    s.marks = findings.length;
    st.entry.yaml.rope.remarked(s, before);
    return true;
  }

  private sourceOf(s: Seg): BlockSource {
    return { lines: s.lines, text: () => s.text, docs: () => s.relative(), resources: () => this.resourcesOf(s).flat() };
  }

  /** The file's findings in order: each segment's, with its first line. */
  private assemble(entry: Entry): FileFindings {
    const blocks: FindingBlock[] = [];
    const placed: Placed[] = [];
    let sorted = true;
    // The line of the previous block's last finding: the blocks need comparing (a finding at a segment's very end
    // sits where the next one starts) only when it is at or past the line of this block's first.
    let lastLine = -1;
    entry.yaml.rope.marked((s, line) => {
      const st = s.state!;
      let p = st.placed;
      if (p?.block.line !== line || p.block.findings !== st.findings) {
        const kept = p?.block.findings === st.findings ? p : undefined;
        const first = kept ? kept.first : st.findings[0]!.range.start.line;
        const last = kept ? kept.last : st.findings[st.findings.length - 1]!.range.start.line;
        p = st.placed = { block: { line, findings: st.findings, source: (st.source ??= this.sourceOf(s)) }, absolute: undefined, first, last };
      }
      const previous = blocks[blocks.length - 1];
      if (sorted && previous && lastLine >= line + p.first && comparePlaced(previous.findings[previous.findings.length - 1]!, previous.line, st.findings[0]!, line) > 0) sorted = false;
      lastLine = line + p.last;
      blocks.push(p.block);
      placed.push(p);
    });
    return new Report(blocks, sorted, placed);
  }

  /** What "Check with the cluster" sends for the object at a position (probe/subjects.ts). */
  probeSubjects(file: string, position: Position, options: AnalyzeOptions): ProbeSubjects {
    const entry = this.entryOf(file);
    if (!entry) return { ok: false, reason: `${file} is not analysed` };
    this.sync(options);
    const d = entry.yaml.docAt(position);
    return probeSubjectsAt(d, d ? resourcesOf(file, d) : [], position, this.layered, options.settings);
  }
}

/** A segment's block of findings at the line it was handed out for, and the same placed (made on demand). */
interface Placed {
  block: FindingBlock;
  absolute: readonly Finding[] | undefined;
  /** The start lines of the block's first and last findings, relative to the block's line. */
  first: number;
  last: number;
}

/** One segment's findings, relative to its first line `line`. */
export interface FindingBlock {
  readonly line: number;
  readonly findings: readonly Finding[];
  /** The segment they are of, for adapters that post-filter per document (the server's suppressions). */
  readonly source?: BlockSource;
}

/**
 * A segment as its findings see it: its text and documents with positions relative to its first line. The same
 * object while the segment is in the file (edits elsewhere and moves keep it; an edit in it makes a new one).
 */
export interface BlockSource {
  /** Its number of lines: a finding at or past it sits where the next segment starts. */
  readonly lines: number;
  text(): string;
  docs(): readonly YamlDoc[];
  resources(): readonly Resource[];
}

/** A file's findings as blocks; `all()` places them. */
export interface FileFindings {
  /** In file order; `sorted` is false when placing them needs a sort (a finding on a segment boundary). */
  readonly blocks: readonly FindingBlock[];
  readonly sorted: boolean;
  /** All findings, placed and sorted (made on first use, then the same array). */
  all(): readonly Finding[];
}

/**
 * A fact a segment's object contributes. A class (not an object of closures): the bundle has 4,000 of them, kept
 * as long as the segment, and two closures each were most of their weight.
 */
class SegmentContribution implements Contribution {
  /** Where `metadata.name` is: located once in the segment (its text does not change), when first asked. */
  private anchor: NameAnchor | undefined | null = null;

  constructor(
    readonly kind: FactKind,
    readonly key: string,
    readonly fact: unknown,
    readonly rank: number,
    /** The document's index in the segment × 1,000,000 + the resource's in the document. */
    readonly sub: number,
    private readonly s: Seg,
    private readonly resources: (s: Seg) => Resource[][],
  ) {}

  position(): number {
    return this.s.place().index;
  }

  nameAnchor(): NameAnchor | undefined {
    if (this.anchor === null) {
      const now = this.resources(this.s)[Math.floor(this.sub / 1_000_000)]?.[this.sub % 1_000_000];
      const range = now && locate(now.doc, [...now.base, 'metadata', 'name'])?.range;
      this.anchor = range && new SegmentAnchor(range, this.s);
    }
    return this.anchor;
  }
}

/** A range in a segment, placed at the segment's current line. */
class SegmentAnchor implements NameAnchor {
  constructor(
    readonly range: Range,
    private readonly s: Seg,
  ) {}

  line(): number {
    return this.s.line();
  }
}

class Report implements FileFindings {
  private placedAll: readonly Finding[] | undefined;

  constructor(
    readonly blocks: readonly FindingBlock[],
    readonly sorted: boolean,
    private readonly placed?: Placed[],
  ) {}

  all(): readonly Finding[] {
    if (this.placedAll) return this.placedAll;
    const out: Finding[] = [];
    this.blocks.forEach((b, i) => {
      const p = this.placed?.[i];
      const findings = p ? (p.absolute ??= shiftFindings(b.findings, b.line)) : shiftFindings(b.findings, b.line);
      for (const f of findings) out.push(f);
    });
    return (this.placedAll = this.sorted ? out : out.sort(byPosition));
  }
}

/** byPosition of two findings relative to lines `la` and `lb`. */
function comparePlaced(a: Finding, la: number, b: Finding, lb: number): number {
  return a.range.start.line + la - (b.range.start.line + lb) || a.range.start.character - b.range.start.character || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

/** The same findings by value (rules return new objects for the same findings). */
function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i] || JSON.stringify(f) === JSON.stringify(b[i]));
}

/**
 * One-shot analysis of a set of files (the CLI's path). Findings sorted by file order, then position.
 * `ruleSet`: the rules to run (the CLI's `--disable` leaves some out).
 */
export function analyze(
  files: SourceFile[],
  settings: Settings = defaultSettings,
  cluster: ClusterFactsProvider = noCluster,
  onRuleError?: RuleErrorHandler,
  ruleSet: readonly RuleRunner[] = rules,
  localFiles?: LocalFiles,
): Finding[] {
  const ws = new Workspace(onRuleError, ruleSet);
  for (const f of files) ws.setFile(f.file, f.text);
  const options: AnalyzeOptions = localFiles ? { settings, cluster, localFiles } : { settings, cluster };
  return files.flatMap((f) => ws.findingsOf(f.file, options));
}
