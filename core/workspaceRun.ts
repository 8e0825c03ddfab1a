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
  const ns = settings.defaultNamespace;
  // The restores are worked out when a rule first asks for them: documents no restore rule reads cost nothing.
  let restores: Restore[] | undefined;
  const ctx: RuleContext = {
    file,
    doc,
    resources,
    get restores(): Restore[] {
      if (restores) return restores;
      // Pushed, not mapped and filtered: `map` gives a holey array once optimized and a packed one before, and what
      // reads the restores deoptimized on the first edit's (core/arrays.ts). Made per run: not kept.
      restores = [];
      if (withRestores && resources.length > 0) {
        for (const c of claimsOf(doc, resources)) {
          const r = restoreOf(doc, c, facts, ns);
          if (r !== undefined) restores.push(r);
        }
      }
      return restores;
    },
    facts,
    settings,
  };
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

export function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
