/**
 * `kvstorage rules [ID...] [-f text|json]`: the rule catalogue (core/rules/catalog.ts) for people and scripts. Without
 * ids, one line per rule (id, default severity, title) and where the pages are; with ids, each rule's page
 * (media/rules/<id>.md: what, why, upstream reference, fix, example). JSON gives every field and the page's path.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { ruleCatalog, ruleInfo, type RuleInfo } from '../core/rules/catalog.js';
import { ruleDocPath } from '../core/rules/docs.js';
import { respond, UsageError, type CommandEnv, type CommandResult } from './command.js';
import { valueOf } from './options.js';

/** The package root: the folder above dist/ (the bundle) or cli/ (the sources under test). */
const packageRoot = path.resolve(__dirname, '..');

/** The absolute path of a rule's page. */
export function rulePagePath(id: string): string {
  return path.join(packageRoot, ruleDocPath(id));
}

interface RawOptions {
  format?: 'text' | 'json';
}

function formatOption(): Option {
  return new Option('-f, --format <format>', 'output format: text or json (default: text)').argParser(
    valueOf('--format', (v) => {
      if (v !== 'text' && v !== 'json') throw new UsageError(`unknown format '${v}' (expected text, json)`);
      return v;
    }),
  );
}

function json(rule: RuleInfo): object {
  return { ...rule, page: rulePagePath(rule.id) };
}

function table(rules: readonly RuleInfo[]): string {
  const width = Math.max(...rules.map((r) => r.id.length));
  const sev = Math.max(...rules.map((r) => r.defaultSeverity.length));
  const lines = rules.map((r) => `${r.id.padEnd(width)}  ${r.defaultSeverity.padEnd(sev)}  ${r.title}`);
  return `${lines.join('\n')}\n\n${rules.length} rules. 'kvstorage rules <id>' prints a rule's page (${path.join(packageRoot, 'media', 'rules')}).\n`;
}

async function run(ids: string[], raw: RawOptions): Promise<CommandResult> {
  const unknown = ids.filter((id) => !ruleInfo(id));
  if (unknown.length > 0) throw new UsageError(`unknown rule '${unknown[0]}' (rules: ${ruleCatalog.map((r) => r.id).join(', ')})`);
  const selected = ids.length === 0 ? ruleCatalog : ids.map((id) => ruleInfo(id)!);
  if (raw.format === 'json') return { exitCode: 0, stdout: `${JSON.stringify({ rules: selected.map(json) }, null, 2)}\n`, stderr: '' };
  if (ids.length === 0) return { exitCode: 0, stdout: table(selected), stderr: '' };
  const pages: string[] = [];
  for (const r of selected) {
    try {
      pages.push(await readFile(rulePagePath(r.id), 'utf8'));
    } catch (error) {
      return { exitCode: 2, stdout: '', stderr: `kvstorage rules: cannot read the page of ${r.id} (${rulePagePath(r.id)}): ${(error as Error).message}\n` };
    }
  }
  return { exitCode: 0, stdout: pages.join('\n'), stderr: '' };
}

export function register(program: Command, _env: CommandEnv): void {
  program
    .command('rules')
    .summary('list the rules, or print their pages')
    .description('Lists every rule lint and doctor report (id, default severity, title), or prints the pages of the rules named:\nwhat each catches, why it matters, the upstream code it follows, the fix and an example.')
    .argument('[ids...]', 'rules whose pages to print (default: list them all)')
    .addOption(formatOption())
    .addHelpText('after', '\nExit status: 0 listed, 2 an unknown rule or a page that cannot be read.')
    .action(respond((ids: string[], raw: RawOptions) => run(ids, raw)));
}
