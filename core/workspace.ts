/**
 * The analysis entry point: a set of files, indexed together so that a PVC in one file resolves a
 * VolumeSnapshot in another. Adapters keep one Workspace and feed it file changes.
 *
 * Work is cached per YAML document, in two tiers: findings of rules that read only the document are kept
 * while its text is unchanged; findings of rules that read facts are kept until the facts (or settings, or
 * the cluster) change. Facts change only when a document that contributes them (a VolumeSnapshot, a
 * StorageClass, ...) changes. A document that merely moved (lines added above it) has its findings shifted.
 */
import type { Document } from 'yaml';
import { claimsOf, restoreOf } from './claims.js';
import { checkDatamover } from './datamover/checks.js';
import { datamoverRole } from './datamover/layout.js';
import { DatamoverSet } from './datamover/set.js';
import type { LocalFiles } from './datamover/types.js';
import type { ClusterFactsProvider, Facts } from './facts.js';
import { claimObjectKinds, layerFacts, noCluster } from './facts.js';
import { factKinds as registryFactKinds } from './kinds/index.js';
import type { ClaimAction } from './claimSpecs/actions.js';
import { claimActionsAt } from './claimSpecs/actions.js';
import type { ClaimPreview } from './claimSpecs/preview.js';
import { claimPreviews } from './claimSpecs/preview.js';
import type { CompletionResult, ProviderErrorHandler } from './completion/index.js';
import { complete } from './completion/index.js';
import { completionProviders } from './completion/providers/index.js';
import type { HoverInfo } from './hover.js';
import { hoverAt } from './hover.js';
import type { ProbeSubjects } from './probe/subjects.js';
import { probeSubjectsAt } from './probe/subjects.js';
import type { Resource, ResourceKind } from './resources.js';
import { kindsOf, resourcesOf } from './resources.js';
import { rules } from './rules/index.js';
import type { RuleContext, RuleRunner } from './rules/rule.js';
import { shiftFindings } from './shift.js';
import type { Finding, Position, Range, Settings, SourceFile } from './types.js';
import { defaultSettings } from './types.js';
import type { ClaimObjectIndex, WorkspaceFacts } from './workspaceFacts.js';
import { claimObjectIndex, workspaceFacts } from './workspaceFacts.js';
import type { EditHint, ParsedFile, YamlDoc } from './yaml/documents.js';

export type { EditHint } from './yaml/documents.js';
import { DocumentCache, parseYamlFile } from './yaml/documents.js';

export type { HoverInfo } from './hover.js';

export interface AnalyzeOptions {
  settings: Settings;
  /** Live facts; `noCluster` when none is connected. */
  cluster?: ClusterFactsProvider;
  /** What is on disk next to datamover index files (qcow2 files and their sizes); unknown when absent. */
  localFiles?: LocalFiles;
}

/** Called when a rule throws (a bug): adapters log it once with its stack. */
export type RuleErrorHandler = (ruleId: string, file: string, error: unknown) => void;

/** Kinds whose documents contribute facts: a change to one re-builds the workspace's facts. */
const factKinds: ReadonlySet<ResourceKind> = new Set(registryFactKinds.map((d) => d.kind));
/** Kinds looked up by name (PVCs, DataVolumes, populator sources): indexed apart from the globals. */
const objectKinds: ReadonlySet<ResourceKind> = new Set(claimObjectKinds);

interface Cached {
  index: number;
  startLine: number;
  local: Finding[];
  factual?: Finding[];
  /** The global token the factual findings were computed under. */
  globals?: object;
  /** Lookups by name (snapshots, claim objects) the factual findings depended on: each says whether it still holds. */
  lookups?: Lookup[];
  /** The facts object the lookups were last checked against: while it is the same, they still hold. */
  checkedAgainst?: Facts;
}

type Lookup = (facts: Facts) => boolean;

interface Entry {
  text: string;
  parsed: ParsedFile;
  /** The parsed Documents that contribute facts: when this list is unchanged, so are the facts. */
  factDocs: Document.Parsed[];
  /** The parsed Documents that hold claim objects (PVCs, DataVolumes, populator sources). */
  objectDocs: Document.Parsed[];
  /** All resources of the file, built on first use (an edit should not pay for 5,000 documents). */
  all?: Resource[];
  cache: Map<Document.Parsed, Cached>;
}

/**
 * Resources per YamlDoc. The parser re-uses a YamlDoc while its document is unchanged and unmoved; a moved
 * one is a new YamlDoc and gets its (cheap, identity-cached) resources again on first use.
 */
const docResources = new WeakMap<YamlDoc, Resource[]>();

function resourcesIn(file: string, d: YamlDoc): Resource[] {
  let rs = docResources.get(d);
  if (!rs) docResources.set(d, (rs = resourcesOf(file, d)));
  return rs;
}

function allResources(entry: Entry): Resource[] {
  return (entry.all ??= entry.parsed.docs.flatMap((d) => resourcesIn(entry.parsed.file, d)));
}

export class Workspace {
  private readonly entries = new Map<string, Entry>();
  /** OADP kubevirt datamover index files (JSON), checked together rather than as Kubernetes manifests. */
  private readonly datamover = new DatamoverSet();
  private readonly docCache = new DocumentCache();
  private factsMemo: { namespace: string; facts: WorkspaceFacts } | undefined;
  private objectsMemo: { namespace: string; index: ClaimObjectIndex } | undefined;
  private globalsMemo: { globals: readonly unknown[]; settings: string; cluster: ClusterFactsProvider; token: object } | undefined;

  constructor(
    private readonly onRuleError: RuleErrorHandler = () => undefined,
    private readonly ruleSet: readonly RuleRunner[] = rules,
  ) {}

  /**
   * Adds or replaces a file. Never throws on bad YAML (that becomes findings). `hint` says where the text
   * changed since the last call for this file (an editor knows): only the documents around it are re-read.
   */
  setFile(file: string, text: string, hint?: EditHint): void {
    const role = datamoverRole(file, text);
    if (role) {
      if (this.entries.has(file)) this.removeFile(file);
      this.datamover.set(file, text, role);
      return;
    }
    this.datamover.remove(file);
    const old = this.entries.get(file);
    if (old?.text === text) return;
    const parsed = parseYamlFile(file, text, this.docCache, old ? hint : undefined);
    const factDocs: Document.Parsed[] = [];
    const objectDocs: Document.Parsed[] = [];
    for (const d of parsed.docs) {
      if (!d.doc) continue;
      for (const r of kindsOf(d)) {
        if (factKinds.has(r.kind)) factDocs.push(d.doc);
        else if (objectKinds.has(r.kind)) objectDocs.push(d.doc);
      }
    }
    if (!old || !sameList(old.factDocs, factDocs)) this.factsMemo = undefined;
    if (!old || !sameList(old.objectDocs, objectDocs)) this.objectsMemo = undefined;
    this.entries.set(file, { text, parsed, factDocs, objectDocs, cache: old?.cache ?? new Map() });
  }

  removeFile(file: string): void {
    if (this.datamover.remove(file)) return;
    const old = this.entries.get(file);
    if (!old) return;
    this.entries.delete(file);
    if (old.factDocs.length > 0) this.factsMemo = undefined;
    if (old.objectDocs.length > 0) this.objectsMemo = undefined;
    this.docCache.forget(file);
  }

  has(file: string): boolean {
    return this.entries.has(file) || this.datamover.has(file);
  }

  files(): string[] {
    return [...this.entries.keys(), ...this.datamover.all().map((e) => e.file)];
  }

  /** The parsed documents of one YAML file (navigation and symbols read them; treat as read-only). */
  parsedFile(file: string): ParsedFile | undefined {
    return this.entries.get(file)?.parsed;
  }

  /** Recognised objects of one file (for adapters that list them). */
  resources(file: string): Resource[] {
    const entry = this.entries.get(file);
    return entry ? allResources(entry) : [];
  }

  private layered: { workspace: Facts; objects: ClaimObjectIndex; cluster: ClusterFactsProvider; facts: Facts } | undefined;

  /** Facts from every file in the workspace, layered over the cluster's. */
  facts(options: AnalyzeOptions): Facts {
    return this.factsFor(options);
  }

  /** The same object while neither the workspace's facts nor the cluster changed. */
  private factsFor(options: AnalyzeOptions): Facts {
    const namespace = options.settings.defaultNamespace;
    const workspace = this.workspaceFacts(namespace);
    if (this.objectsMemo?.namespace !== namespace) {
      // Built on first lookup: an edit of a PVC only makes a new (empty) index here.
      this.objectsMemo = { namespace, index: claimObjectIndex(() => [...this.entries.values()].flatMap((e) => allResources(e)), namespace) };
    }
    const objects = this.objectsMemo.index;
    const cluster = options.cluster ?? noCluster;
    if (this.layered?.workspace !== workspace || this.layered.objects !== objects || this.layered.cluster !== cluster) {
      this.layered = { workspace, objects, cluster, facts: layerFacts({ ...workspace, ...objects }, cluster) };
    }
    return this.layered.facts;
  }

  private workspaceFacts(namespace: string): WorkspaceFacts {
    if (this.factsMemo?.namespace !== namespace) {
      const all = [...this.entries.values()].flatMap((e) => allResources(e));
      this.factsMemo = { namespace, facts: workspaceFacts(all, namespace) };
    }
    return this.factsMemo.facts;
  }

  /**
   * A token that changes whenever anything facts-reading rules see changes, except single snapshots:
   * those are tracked per document (see `Lookup`), so editing one snapshot re-checks only its restores.
   */
  private globalsToken(options: AnalyzeOptions): object {
    const globals = this.workspaceFacts(options.settings.defaultNamespace).globals;
    const settings = JSON.stringify(options.settings);
    const cluster = options.cluster ?? noCluster;
    const m = this.globalsMemo;
    if (m && sameList(m.globals, globals) && m.settings === settings && m.cluster === cluster) return m.token;
    this.globalsMemo = { globals, settings, cluster, token: {} };
    return this.globalsMemo.token;
  }

  /** Findings for one file, sorted by position. */
  analyzeFile(file: string, options: AnalyzeOptions): Finding[] {
    if (this.datamover.has(file)) {
      try {
        return checkDatamover(this.datamover, options.localFiles, file).sort(byPosition);
      } catch (e) {
        this.onRuleError('datamover', file, e);
        return [];
      }
    }
    const entry = this.entries.get(file);
    if (!entry) return [];
    const globals = this.globalsToken(options);
    const facts = this.factsFor(options);
    const findings: Finding[] = [];
    for (const d of entry.parsed.docs) {
      const docFindings = d.doc ? this.cachedFindings(entry, d, d.doc, globals, facts, options) : this.run(file, d, [], facts, options, 'both');
      for (const f of docFindings) findings.push(f);
    }
    // Forget documents that are gone (the cache holds at most twice the live ones).
    if (entry.cache.size > 2 * entry.parsed.docs.length + 16) {
      const live = new Set(entry.parsed.docs.map((d) => d.doc));
      for (const doc of entry.cache.keys()) if (!live.has(doc)) entry.cache.delete(doc);
    }
    return findings.sort(byPosition);
  }

  private cachedFindings(entry: Entry, d: YamlDoc, doc: Document.Parsed, globals: object, facts: Facts, options: AnalyzeOptions): Finding[] {
    const file = entry.parsed.file;
    const cached = entry.cache.get(doc);
    // The same Document may stand twice in one file (identical text): the index tells them apart.
    let c = cached && cached.index === d.index ? cached : undefined;
    if (c && c.startLine === d.startLine && c.globals === globals && c.checkedAgainst === facts) {
      return c.local.length === 0 ? c.factual! : c.factual!.length === 0 ? c.local : [...c.local, ...c.factual!];
    }
    if (!c) {
      c = { index: d.index, startLine: d.startLine, local: this.run(file, d, resourcesIn(file, d), facts, options, 'document') };
    } else if (c.startLine !== d.startLine) {
      const delta = d.startLine - c.startLine;
      c = { ...c, startLine: d.startLine, local: shiftFindings(c.local, delta), factual: c.factual && shiftFindings(c.factual, delta) };
    }
    if (c.globals !== globals || !c.factual || (c.checkedAgainst !== facts && !c.lookups!.every((still) => still(facts)))) {
      const lookups: Lookup[] = [];
      const recording: Facts = {
        ...facts,
        volumeSnapshot: (namespace, name) => {
          const fact = facts.volumeSnapshot(namespace, name);
          lookups.push((f) => f.volumeSnapshot(namespace, name) === fact);
          return fact;
        },
        claimObject: (kind, namespace, name) => {
          const fact = facts.claimObject?.(kind, namespace, name);
          lookups.push((f) => f.claimObject?.(kind, namespace, name) === fact);
          return fact;
        },
        claimObjects: (kind, namespace) => {
          const list = facts.claimObjects?.(kind, namespace) ?? [];
          lookups.push((f) => sameList(f.claimObjects?.(kind, namespace) ?? [], list));
          return list;
        },
      };
      c = { ...c, globals, lookups, factual: this.run(file, d, resourcesIn(file, d), recording, options, 'facts') };
    }
    c.checkedAgainst = facts;
    entry.cache.set(doc, c);
    return c.local.length === 0 ? c.factual! : c.factual!.length === 0 ? c.local : [...c.local, ...c.factual!];
  }

  private run(file: string, d: YamlDoc, resources: Resource[], facts: Facts, options: AnalyzeOptions, tier: 'document' | 'facts' | 'both'): Finding[] {
    const ns = options.settings.defaultNamespace;
    const wanted = this.ruleSet.filter((r) => tier === 'both' || r.reads === tier);
    const restores =
      tier === 'document' || resources.length === 0
        ? []
        : claimsOf(d, resources)
            .map((c) => restoreOf(d, c, facts, ns))
            .filter((r) => r !== undefined);
    const ctx: RuleContext = { file, doc: d, resources, restores, facts, settings: options.settings };
    const out: Finding[] = [];
    for (const rule of wanted) {
      try {
        for (const f of rule.run(ctx)) out.push(f);
      } catch (e) {
        this.onRuleError(rule.id, file, e);
      }
    }
    return out;
  }

  /** Completion items at a position (core/completion): empty outside the providers' contexts. */
  complete(file: string, position: Position, options: AnalyzeOptions, onError?: ProviderErrorHandler): CompletionResult {
    const entry = this.entries.get(file);
    if (!entry) return { items: [], isIncomplete: false };
    return complete(entry.parsed, position, this.facts(options), options.settings, completionProviders, onError);
  }

  /** The claim actions (fill, expand, convert, show the render) at a range of a file. */
  claimActions(file: string, range: Range, options: AnalyzeOptions): ClaimAction[] {
    const entry = this.entries.get(file);
    if (!entry) return [];
    return claimActionsAt(allResources(entry), range, this.facts(options), options.settings);
  }

  /** The render preview of every claim of a file (Show CDI render). */
  claimPreviews(file: string, options: AnalyzeOptions): ClaimPreview[] {
    const entry = this.entries.get(file);
    return entry ? claimPreviews(allResources(entry), this.facts(options), options.settings) : [];
  }

  /** Hover text at a position (a quantity's bytes, a restore PVC's predicted render), if any. */
  hover(file: string, position: Position, options: AnalyzeOptions): HoverInfo | undefined {
    const entry = this.entries.get(file);
    if (!entry) return undefined;
    return hoverAt(entry.parsed, allResources(entry), position, this.facts(options), options.settings);
  }

  /** What "Check with the cluster" sends for the object at a position (probe/subjects.ts). */
  probeSubjects(file: string, position: Position, options: AnalyzeOptions): ProbeSubjects {
    const entry = this.entries.get(file);
    if (!entry) return { ok: false, reason: `${file} is not analysed` };
    return probeSubjectsAt(entry.parsed, allResources(entry), position, this.facts(options), options.settings);
  }
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
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
  return files.flatMap((f) => ws.analyzeFile(f.file, options));
}
