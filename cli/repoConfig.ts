/**
 * The repository's `.kvstorage.yaml` for `lint` and `doctor`: `--config FILE`, else the nearest one in the current
 * directory or its parents. Flags beat it (`--enable`/`--disable` for rules, `--strict-provisioner`,
 * `--cdi-version`); a file that cannot be read or holds a mistake is a usage error (exit 2), so CI never runs
 * with half a configuration.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { emptyRepoConfig, parseRepoConfig, repoConfigName, ruleOff, type RepoConfig } from '../core/repoConfig.js';
import { decodeSourceText } from '../core/sourceText.js';
import { ruleEnabled, type RuleSelection } from './options.js';

export type LoadedConfig = { ok: true; config: RepoConfig } | { ok: false; message: string };

const maxConfigBytes = 1024 * 1024;

async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}

/** `explicit` (relative to `cwd`), else the nearest `.kvstorage.yaml` from `cwd` up; none is the empty config. */
export async function loadRepoConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  let file: string | undefined;
  if (explicit !== undefined) {
    file = path.resolve(cwd, explicit);
    if (await isDirectory(file)) return { ok: false, message: `cannot read --config '${explicit}': it is a directory (name the ${repoConfigName} in it)` };
    if (!(await isFile(file))) return { ok: false, message: `cannot read --config '${explicit}': no such file` };
  } else {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
      if (await isFile(path.join(dir, repoConfigName))) {
        file = path.join(dir, repoConfigName);
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  if (file === undefined) return { ok: true, config: emptyRepoConfig };
  const shown = path.relative(cwd, file) || repoConfigName;
  let text: string;
  try {
    if ((await stat(file)).size > maxConfigBytes) return { ok: false, message: `refusing to read '${shown}': larger than 1 MB` };
    const decoded = decodeSourceText(await readFile(file));
    if (!decoded.ok) return { ok: false, message: `cannot read '${shown}': ${decoded.reason}` };
    text = decoded.text;
  } catch (error) {
    return { ok: false, message: `cannot read '${shown}': ${(error as Error).message}` };
  }
  const parsed = parseRepoConfig(text, shown);
  // Core's words suit the editor, which goes on without the file; here the file's problem stops the run (exit 2).
  const problems = parsed.problems.map((p) => p.replace(/; ignoring the file$/, ''));
  return problems.length > 0 ? { ok: false, message: problems.join('\n') } : { ok: true, config: parsed.config };
}

const named = (selection: RuleSelection | undefined, id: string): boolean => selection !== undefined && (selection.enable.includes(id) || selection.disable.includes(id));

/** Whether a rule runs: a rule named by `--enable`/`--disable` as the flags say, else off if the file says so. */
export function enabledWith(selection: RuleSelection | undefined, config: RepoConfig): (id: string) => boolean {
  return (id) => (named(selection, id) ? ruleEnabled(selection, id) : !ruleOff(config, id) && ruleEnabled(selection, id));
}

/** The file's rule settings without those the flags name (a rule `--enable`d reports at its own severity). */
export function beneathFlags(config: RepoConfig, selection: RuleSelection | undefined): RepoConfig {
  return { ...config, rules: new Map([...config.rules].filter(([id]) => !named(selection, id))) };
}
