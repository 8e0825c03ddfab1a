/**
 * The workspace folders' `.kvstorage.yaml` (core/repoConfig.ts), as the CLI reads its own: rules off or at another
 * severity, strict provisioners, the CDI version. Each analysed file follows the configuration of the folder it is
 * in; the analysis settings (one set for the whole workspace) take the first folder's. Mistakes are one status
 * problem naming the file and the field; the rest of the file still applies.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { emptyRepoConfig, parseRepoConfig, repoConfigName, type RepoConfig } from '../core/repoConfig.js';
import type { Health } from './status.js';
import { fileKey } from './uris.js';

const maxBytes = 1024 * 1024;

export class RepoConfigs {
  /** Per folder key (a file URI ending in '/'), in folder order. */
  private configs: Array<{ folder: string; config: RepoConfig; text: string | undefined }> = [];

  constructor(
    private readonly folders: () => readonly string[],
    private readonly health: Health,
  ) {}

  /** Re-reads each folder's file; resolves to true when any configuration changed. */
  async refresh(): Promise<boolean> {
    const next: Array<{ folder: string; config: RepoConfig; text: string | undefined }> = [];
    const problems: string[] = [];
    for (const path of this.folders()) {
      const file = join(path, repoConfigName);
      const text = await stat(file).then(
        (s) => (s.isFile() && s.size <= maxBytes ? readFile(file, 'utf8') : undefined),
        () => undefined,
      ).catch(() => undefined);
      const key = fileKey(pathToFileURL(path).href);
      if (text === undefined) {
        next.push({ folder: key.endsWith('/') ? key : `${key}/`, config: emptyRepoConfig, text });
        continue;
      }
      const parsed = parseRepoConfig(text, file);
      problems.push(...parsed.problems);
      next.push({ folder: key.endsWith('/') ? key : `${key}/`, config: parsed.config, text });
    }
    const changed = next.length !== this.configs.length || next.some((c, i) => c.folder !== this.configs[i]?.folder || c.text !== this.configs[i]?.text);
    this.configs = next;
    this.health.problem('repo-config', problems.length > 0 ? problems.join('; ') : undefined);
    return changed;
  }

  /** The configuration of the folder holding `key` (the innermost), else the first folder's. */
  forFile(key: string): RepoConfig {
    let best: (typeof this.configs)[number] | undefined;
    for (const c of this.configs) if (key.startsWith(c.folder) && (!best || c.folder.length > best.folder.length)) best = c;
    return (best ?? this.configs[0])?.config ?? emptyRepoConfig;
  }

  /** The first folder's: the analysis settings' (strict provisioners, CDI version). */
  primary(): RepoConfig {
    return this.configs[0]?.config ?? emptyRepoConfig;
  }
}
