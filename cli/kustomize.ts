/**
 * `kvstorage lint --kustomize DIR`: what `kubectl kustomize DIR` renders, linted as one more input, and the
 * kustomization's own YAML files read so that findings map back to them (core/kustomizeMap.ts). Needs kubectl
 * on the PATH; says so when it is not.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { jsonField } from '../core/kinds/index.js';
import type { SourceFile } from '../core/types.js';
import { displayPath, readInputs } from './files.js';

/** How long kubectl may render, and how much it may print. */
const renderTimeoutMs = 60_000;
const maxOutputBytes = 50 * 1024 * 1024;

export type Rendered = { ok: true; rendered: SourceFile; sources: SourceFile[] } | { ok: false; message: string };

/** The name the rendered output is reported under when a finding cannot be mapped back. */
export function renderedName(dir: string): string {
  return `${displayPath(dir)} (kubectl kustomize)`;
}

function run(cwd: string, dir: string, env: Record<string, string | undefined>): Promise<{ ok: true; stdout: string } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir], { cwd, env: env as NodeJS.ProcessEnv, timeout: renderTimeoutMs, maxBuffer: maxOutputBytes, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, stdout });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        return resolve({ ok: false, message: `--kustomize needs kubectl on the PATH, and it is not there: install kubectl, or render yourself (kustomize build ${dir} | kvstorage lint -)` });
      }
      const why = stderr.trim().split('\n').slice(-3).join(' ') || error.message;
      resolve({ ok: false, message: `kubectl kustomize ${dir} failed: ${why}` });
    });
  });
}

const kustomizationNames = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Folders visited per render: a bound on kustomizations that include each other. */
const maxKustomizations = 100;

/**
 * The local files a kustomization draws its objects from: its `resources` (and the older `bases`) and
 * `components`, followed into the kustomizations they name; remote ones (URLs, git) are left out. Paths are
 * relative to `cwd`, as the user would write them.
 */
async function kustomizationFiles(cwd: string, dir: string): Promise<string[]> {
  const files: string[] = [];
  const visited = new Set<string>();
  const queue = [path.resolve(cwd, dir)];
  while (queue.length > 0 && visited.size < maxKustomizations) {
    const folder = queue.shift()!;
    if (visited.has(folder)) continue;
    visited.add(folder);
    let text: string | undefined;
    for (const name of kustomizationNames) {
      text = await readFile(path.join(folder, name), 'utf8').catch(() => undefined);
      if (text !== undefined) break;
    }
    const k: unknown = text === undefined ? undefined : parse(text, { maxAliasCount: 50 });
    const entries = ['resources', 'bases', 'components'].flatMap((field) => {
      const v = jsonField(k, field);
      return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : [];
    });
    for (const entry of entries) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|git@)/.test(entry)) continue;
      const target = path.resolve(folder, entry);
      const st = await stat(target).catch(() => undefined);
      if (st?.isDirectory()) queue.push(target);
      else if (st?.isFile()) files.push(path.relative(cwd, target) || target);
    }
  }
  return files;
}

/** Renders `dir` and reads its YAML files; failures are messages naming the folder. */
export async function renderKustomization(dir: string, cwd: string, env: Record<string, string | undefined>, stdin: NodeJS.ReadableStream): Promise<Rendered> {
  const out = await run(cwd, dir, env);
  if (!out.ok) return out;
  const inputs = await readInputs(await kustomizationFiles(cwd, dir), { cwd, stdin });
  if (inputs.errors.length > 0) return { ok: false, message: inputs.errors.join('; ') };
  // kustomization.yaml itself holds no kind the tools know: it is among the sources, and matches nothing.
  return { ok: true, rendered: { file: renderedName(dir), text: out.stdout }, sources: inputs.files };
}
