/** The shape every rule has, and the context the analysis hands it: one YAML document at a time. */
import type { Restore } from '../claims.js';
import type { Facts } from '../facts.js';
import type { Resource } from '../resources.js';
import type { KindName } from '../kinds/index.js';
import type { Finding, Settings, Severity } from '../types.js';
import type { YamlDoc } from '../yaml/documents.js';

export interface RuleContext {
  file: string;
  doc: YamlDoc;
  /** Recognised objects in this document. */
  resources: Resource[];
  /** Claims of this document that restore a VolumeSnapshot (computed once, shared by the restore rules). */
  restores: Restore[];
  facts: Facts;
  settings: Settings;
  /**
   * What rules share within this run (`perRun`), made on first use. On the context, not in a weak map keyed by
   * it: V8's scavenges keep a weak map's entries whose keys are young (the contexts are) until a full GC, so each
   * run's context and all it reached were copied and promoted (bench/README.md, lintgc).
   */
  memo: Map<symbol, unknown> | undefined;
}

/** `make()` once per run: the first rule of the run to ask computes it, the others read it (`key`: the caller's own). */
export function perRun<T>(ctx: RuleContext, key: symbol, make: (ctx: RuleContext) => T): T {
  const memo = (ctx.memo ??= new Map());
  let v = memo.get(key) as T | undefined;
  if (v === undefined) memo.set(key, (v = make(ctx)));
  return v;
}

/**
 * What every rule and doctor check declares about itself, next to its code: the rule catalogue (catalog.ts: the
 * CLI's help, SARIF's rule list, the README's table) is built from these declarations. Ids are stable
 * kebab-case (they appear in the CLI, SARIF and LSP `code`): never rename one.
 */
export interface RuleMeta {
  id: string;
  /** The usual severity; some rules raise it (e.g. to error on strict provisioners). */
  defaultSeverity: Severity;
  title: string;
  description: string;
  /**
   * 'document': only the document (findings cached while its text is unchanged); 'facts': also facts and
   * settings (cached until those change); 'cluster': a doctor check over a cluster's inventory.
   */
  reads: 'document' | 'facts' | 'cluster';
  /** The kinds it reports on or reads (core/kinds); [] when any document will do. */
  kinds: readonly KindName[];
}

/** What the analysis runs (core/workspace.ts): a declared Rule, or a test's stand-in. */
export interface RuleRunner {
  id: string;
  reads: 'document' | 'facts';
  run(ctx: RuleContext): Finding[];
}

/** A rule of the analysis, declared with its metadata. */
export interface Rule extends RuleMeta, RuleRunner {
  reads: 'document' | 'facts';
}
