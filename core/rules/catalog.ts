/**
 * Every rule id this project reports, with its default severity, title and description: built from the
 * declarations of the lint rules (rules/index.ts), the doctor's checks (doctor/index.ts), the datamover's
 * checks (datamover/rules.ts), `file-unreadable` (rules/fileUnreadable.ts, emitted by the file readers) and the inputs
 * skipped with a finding (helm.ts), so a rule is described in one place, next to its code. A doctor check that reports under a lint rule's id shares that
 * entry. Ids are stable: they appear in the CLI, SARIF and LSP `code`. Never rename one.
 */
import { datamoverRuleInfo } from '../datamover/rules.js';
import { doctorChecks } from '../doctor/index.js';
import { helmTemplateRule } from '../helm.js';
import type { KindName } from '../kinds/index.js';
import type { Severity } from '../types.js';
import { fileUnreadable } from './fileUnreadable.js';
import { addedRules, contentRules, firstRules, kubevirtVersionRules, apiServerRules, storageRules } from './index.js';
import type { RuleMeta } from './rule.js';

export interface RuleInfo {
  id: string;
  /** The usual severity; some rules raise it (e.g. to error on strict provisioners). */
  defaultSeverity: Severity;
  title: string;
  description: string;
  /** What its declarations read: 'document' or 'facts' for the analysis (lint, the editor), 'cluster' for the doctor. */
  reads: readonly RuleMeta['reads'][];
  /** The kinds its declarations name. */
  kinds: readonly KindName[];
}

/** One entry per id, in declaration order; declarations of one id must agree on what they say of it. */
export function catalogue(declarations: readonly RuleMeta[]): RuleInfo[] {
  const byId = new Map<string, RuleInfo>();
  for (const d of declarations) {
    const seen = byId.get(d.id);
    if (!seen) {
      byId.set(d.id, { id: d.id, defaultSeverity: d.defaultSeverity, title: d.title, description: d.description, reads: [d.reads], kinds: [...d.kinds] });
      continue;
    }
    if (seen.defaultSeverity !== d.defaultSeverity || seen.title !== d.title || seen.description !== d.description) {
      throw new Error(`rule ${d.id} is declared twice with different severity, title or description`);
    }
    byId.set(d.id, { ...seen, reads: [...new Set([...seen.reads, d.reads])], kinds: [...new Set([...seen.kinds, ...d.kinds])] });
  }
  return [...byId.values()];
}

/** Ids keep their place: rules added later come after everything listed before them. */
export const ruleCatalog: readonly RuleInfo[] = catalogue([...firstRules, ...doctorChecks, ...datamoverRuleInfo, fileUnreadable, ...addedRules, helmTemplateRule, ...storageRules, ...contentRules, ...kubevirtVersionRules, ...apiServerRules]);

const byId = new Map(ruleCatalog.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return byId.get(id);
}
