/**
 * Running the rules on one document, and ordering findings. Rules see the document with positions relative to
 * its segment's first line (core/yaml/views.ts), so what they return stays valid when the document moves; the
 * workspace places findings when it hands them out.
 */
import { claimsOf, restoreOf, type Restore } from './claims.js';
import type { Facts } from './facts.js';
import type { Resource } from './resources.js';
import type { RuleContext, RuleRunner } from './rules/rule.js';
import type { Finding, Settings } from './types.js';
import type { YamlDoc } from './yaml/documents.js';

/** Called when a rule throws (a bug): adapters log it once with its stack. */
export type RuleErrorHandler = (ruleId: string, file: string, error: unknown) => void;

/** The rules split by what they read. */
export interface RuleTiers {
  document: readonly RuleRunner[];
  facts: readonly RuleRunner[];
}

export function tiers(ruleSet: readonly RuleRunner[]): RuleTiers {
  return { document: ruleSet.filter((r) => r.reads === 'document'), facts: ruleSet.filter((r) => r.reads === 'facts') };
}

/** Runs `rules` on one document; a rule that throws is reported and the others still run. */
export function runRules(
  rules: readonly RuleRunner[],
  file: string,
  doc: YamlDoc,
  resources: Resource[],
  facts: Facts,
  settings: Settings,
  withRestores: boolean,
  onRuleError: RuleErrorHandler,
): Finding[] {
  if (rules.length === 0) return [];
  const ctx = new RunContext(file, doc, resources, facts, settings, withRestores);
  const out: Finding[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    try {
      // An index loop: the rules' arrays are of many shapes, and an iterator over each costs more than the copy.
      const found = rule.run(ctx);
      for (let k = 0; k < found.length; k++) out.push(found[k]!);
    } catch (e) {
      onRuleError(rule.id, file, e);
    }
  }
  return out;
}

/**
 * A run's context: a class, not an object literal with a `get restores()` closing over the run. V8 gives each such
 * literal its getter's own closure through an accessor pair that scavenges treat as old (the closure, its context
 * and the restores it reached were copied and promoted on every run until a full GC: bench/README.md, lintgc); a
 * class keeps the getter on its prototype and gives every context one hidden class.
 */
class RunContext implements RuleContext {
  memo: Map<symbol, unknown> | undefined = undefined;
  /** The restores, worked out when a rule first asks for them: documents no restore rule reads cost nothing. */
  private found: Restore[] | undefined = undefined;

  constructor(
    readonly file: string,
    readonly doc: YamlDoc,
    readonly resources: Resource[],
    readonly facts: Facts,
    readonly settings: Settings,
    private readonly withRestores: boolean,
  ) {}

  get restores(): Restore[] {
    if (this.found) return this.found;
    // Pushed, not mapped and filtered: `map` gives a holey array once optimized and a packed one before, and what
    // reads the restores deoptimized on the first edit's (core/arrays.ts). Made per run: not kept.
    const restores: Restore[] = (this.found = []);
    if (this.withRestores && this.resources.length > 0) {
      const ns = this.settings.defaultNamespace;
      for (const c of claimsOf(this.doc, this.resources)) {
        const r = restoreOf(this.doc, c, this.facts, ns);
        if (r !== undefined) restores.push(r);
      }
    }
    return restores;
  }
}

export function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
