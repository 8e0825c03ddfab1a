/**
 * Editor settings → core Settings. Pulled with `workspace/configuration` when the client supports it, else taken
 * from initializationOptions and pushed didChangeConfiguration payloads, else the defaults.
 */
import { DidChangeConfigurationNotification, type ClientCapabilities, type Connection } from 'vscode-languageserver/node';
import { ownValue } from '../core/own.js';
import { defaultSettings, type Settings } from '../core/types.js';
import { configurationSection } from '../protocol/status.js';
import type { Health } from './status.js';

/** Where the live cluster comes from (`kubevirtStorage.cluster.*`); empty strings are left out. */
export interface ClusterSettings {
  /** Connect when a kubeconfig exists (true by default); false never connects. */
  enabled: boolean;
  /** A kubeconfig file (like `kubectl --kubeconfig`); else KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** A context; else kubeconfig's current-context. */
  context?: string;
  /** Namespace of manifests that name none; else the context's, else `default`. */
  namespace?: string;
  /** Credential plugin commands allowed to run without asking (user settings only: the setting is machine-scoped). */
  allowedCredentialPlugins?: string[];
}

/** Settings mapped from a configuration section, and what was wrong with it (invalid values fall back). */
export interface MappedSettings {
  settings: Settings;
  cluster: ClusterSettings;
  problems: string[];
}

/**
 * Maps a `kubevirtStorage` section (nested objects or dotted keys) to core Settings. Never throws. The values of
 * the CDI settings are passed through: core validates them and says in its messages when it ignored one.
 */
export function toSettings(section: unknown): MappedSettings {
  const problems: string[] = [];
  const settings: Settings = { ...defaultSettings, strictProvisioners: [...defaultSettings.strictProvisioners] };

  const version = readString(section, 'cdi.version', problems);
  if (version) settings.cdiVersion = version;
  const kubevirt = readString(section, 'kubevirt.version', problems);
  if (kubevirt) settings.kubevirtVersion = kubevirt;
  const overhead = readString(section, 'cdi.defaultFilesystemOverhead', problems);
  if (overhead) settings.defaultFilesystemOverhead = overhead;

  const strict = lookup(section, 'restore.strictProvisioners');
  if (Array.isArray(strict) && strict.every((p): p is string => typeof p === 'string')) {
    settings.strictProvisioners = strict.map((p) => p.trim()).filter((p) => p !== '');
  } else if (strict !== undefined && strict !== null) {
    problems.push(`${configurationSection}.restore.strictProvisioners must be an array of strings; using the default`);
  }
  return { settings, cluster: toClusterSettings(section, problems), problems };
}

function toClusterSettings(section: unknown, problems: string[]): ClusterSettings {
  const cluster: ClusterSettings = { enabled: true };
  const enabled = lookup(section, 'cluster.enabled');
  if (typeof enabled === 'boolean') cluster.enabled = enabled;
  else if (enabled !== undefined && enabled !== null) problems.push(`${configurationSection}.cluster.enabled must be true or false; using true`);
  const kubeconfig = readString(section, 'cluster.kubeconfig', problems);
  if (kubeconfig) cluster.kubeconfig = kubeconfig;
  const context = readString(section, 'cluster.context', problems);
  if (context) cluster.context = context;
  const namespace = readString(section, 'cluster.namespace', problems);
  if (namespace) cluster.namespace = namespace;
  const allowed = lookup(section, 'cluster.allowedCredentialPlugins');
  if (Array.isArray(allowed) && allowed.every((p): p is string => typeof p === 'string')) {
    const commands = allowed.map((p) => p.trim()).filter((p) => p !== '');
    if (commands.length > 0) cluster.allowedCredentialPlugins = commands;
  } else if (allowed !== undefined && allowed !== null) problems.push(`${configurationSection}.cluster.allowedCredentialPlugins must be an array of strings; none allowed`);
  return cluster;
}

/** The current settings, and how to refresh them. */
export class SettingsSource {
  private current: MappedSettings;
  private loaded = false;

  /**
   * @param pull whether the client supports `workspace/configuration`
   * @param initializationOptions `{ kubevirtStorage: {...} }` or the section itself, for clients that cannot be asked
   */
  constructor(
    private readonly connection: Connection,
    private readonly pull: boolean,
    initializationOptions: unknown,
  ) {
    this.current = toSettings(sectionOf(initializationOptions));
    this.loaded = !pull;
  }

  get settings(): Settings {
    return this.current.settings;
  }

  get cluster(): ClusterSettings {
    return this.current.cluster;
  }

  get problems(): string[] {
    return this.current.problems;
  }

  /** False until the first `workspace/configuration` answer (or its failure) when the client is pulled from. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Re-reads the settings: pulls them when the client supports it, else maps `pushed` (a didChangeConfiguration
   * `settings` payload). Resolves to true when the effective settings changed.
   */
  async refresh(pushed?: unknown): Promise<boolean> {
    let next: MappedSettings | undefined;
    if (this.pull) {
      try {
        next = toSettings(await this.connection.workspace.getConfiguration(configurationSection));
      } catch (error) {
        this.connection.console.warn(`Could not read the ${configurationSection} settings: ${String(error)}`);
      }
    } else if (pushed !== null && typeof pushed === 'object' && configurationSection in pushed) {
      next = toSettings((pushed as Record<string, unknown>)[configurationSection]);
    }
    const wasLoaded = this.loaded;
    this.loaded = true;
    if (!next) return !wasLoaded;
    const changed = JSON.stringify(next) !== JSON.stringify(this.current) || !wasLoaded;
    this.current = next;
    return changed;
  }
}

function sectionOf(options: unknown): unknown {
  if (options !== null && typeof options === 'object' && configurationSection in options) {
    return (options as Record<string, unknown>)[configurationSection];
  }
  return options;
}

/** Reads `a.b` as `section['a.b']` or `section.a.b`. */
function lookup(section: unknown, dotted: string): unknown {
  if (section === null || typeof section !== 'object') return undefined;
  const flat = ownValue(section as Record<string, unknown>, dotted);
  if (flat !== undefined) return flat;
  let value: unknown = section;
  for (const part of dotted.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = ownValue(value as Record<string, unknown>, part);
  }
  return value;
}

/** A string setting, trimmed; a number is taken as its decimal text (`0.06` written without quotes). */
function readString(section: unknown, key: string, problems: string[]): string | undefined {
  const value = lookup(section, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  problems.push(`${configurationSection}.${key} must be a string, not ${JSON.stringify(value)}; ignoring it`);
  return undefined;
}

/**
 * Loads the settings (pulling them once after `initialized` when the client supports it), follows
 * didChangeConfiguration, reports invalid values as a status problem, and calls `changed` when the effective
 * settings are first known and whenever they change.
 */
export function registerSettings(
  connection: Connection,
  capabilities: ClientCapabilities,
  source: SettingsSource,
  health: Health,
  changed: () => void,
): void {
  const report = (): void => health.problem('settings', source.problems.length > 0 ? source.problems.join('; ') : undefined);
  const apply = async (pushed?: unknown): Promise<void> => {
    const didChange = await source.refresh(pushed);
    report();
    if (didChange) changed();
  };
  connection.onDidChangeConfiguration((params) => void apply(params.settings));
  if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
    connection.client
      .register(DidChangeConfigurationNotification.type, { section: configurationSection })
      .catch((error: unknown) => connection.console.warn(`Could not register for configuration changes: ${String(error)}`));
  }
  if (source.isLoaded) {
    report();
    changed();
  } else {
    void apply();
  }
}
