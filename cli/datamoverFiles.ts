/**
 * The local copy of a datamover prefix for `kvstorage datamover plan`: given a folder or one index file, the whole
 * `…-kubevirt-datamover/` folder it belongs to is read (its JSON index files, the sizes of its qcow2 files).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { datamoverRole, locateDatamoverPath, prefixSuffix } from '../core/datamover/layout.js';
import type { PlanFilter } from '../core/datamover/plan.js';
import type { DatamoverRole, LocalFiles } from '../core/datamover/types.js';
import { displayPath, readInputs } from './files.js';

export interface LoadedPrefix {
  /** The folder read, as shown in output. */
  folder: string;
  files: { file: string; text: string; role: DatamoverRole }[];
  local: LocalFiles;
  /** What a named file narrows the plan to: its backup (a manifest), or its VM (a VM index). */
  only: PlanFilter;
}

export type LoadResult = { ok: true; value: LoadedPrefix } | { ok: false; error: string };

const shapes = 'checkpoints/<ns>/<vm>/index.json, manifests/<backup>/index.json or manifests/<backup>/<vm>.json';

export async function loadPrefix(given: string, cwd: string, stdin: NodeJS.ReadableStream): Promise<LoadResult> {
  const abs = path.resolve(cwd, given);
  const shown = displayPath(given);
  let folder: string;
  let only: PlanFilter = {};
  try {
    const st = await stat(abs);
    if (st.isDirectory()) {
      folder = enclosingPrefix(shown) ?? shown;
    } else {
      const text = await readFile(abs, 'utf8');
      if (!datamoverRole(shown, text)) return { ok: false, error: `'${shown}' is not a datamover index file (${shapes})` };
      const loc = locateDatamoverPath(shown);
      folder = loc ? loc.root.replace(/\/$/, '') || '.' : path.posix.dirname(shown);
      if (loc?.backup !== undefined) only = { backup: loc.backup };
      else if (loc?.namespace !== undefined && loc.vm !== undefined) only = { namespace: loc.namespace, vm: loc.vm };
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, error: `cannot read '${shown}': ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String(err)}` };
  }
  const input = await readInputs([folder], { cwd, stdin });
  // Manifests that cannot be read do not matter to a restore plan; a folder or index file that cannot be read does.
  const unreadable = input.unreadable.filter((u) => !/\.ya?ml$/i.test(u.file)).map((u) => `cannot read '${u.file}': ${u.reason}`);
  if (input.errors.length + unreadable.length > 0) return { ok: false, error: [...input.errors, ...unreadable].join('; ') };
  const files = input.files.flatMap((f) => {
    const role = datamoverRole(f.file, f.text);
    return role ? [{ file: f.file, text: f.text, role }] : [];
  });
  if (files.length === 0) return { ok: false, error: `no datamover index files in '${folder}' (${shapes})` };
  return { ok: true, value: { folder, files, local: input.local ?? { size: () => undefined }, only } };
}

/** The `…-kubevirt-datamover` folder a path lies in, if any (so that naming a VM's folder reads the manifests too). */
function enclosingPrefix(shown: string): string | undefined {
  const parts = shown.split('/');
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i]!.endsWith(prefixSuffix)) return parts.slice(0, i + 1).join('/');
  return undefined;
}
