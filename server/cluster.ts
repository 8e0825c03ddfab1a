/**
 * The live cluster of the language server: started from `kubevirtStorage.cluster.*` (or a `useContext`
 * request), restarted when they change, and turned into what core reads (`AnalyzeOptions.cluster`) and one
 * status line. Connects on its own only when a kubeconfig exists; never prompts. While the cluster cannot be
 * read the analysis is workspace-only and the status (not a diagnostic per file) says why.
 */
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { listContexts, startLiveCluster, type LiveCluster } from '../cluster/index.js';
import { readPvcWebhook } from '../cluster/probe.js';
import { readKubevirtVersion } from '../cluster/kubevirtVersion.js';
import { noCluster, type ClusterFactsProvider } from '../core/facts.js';
import type { ListContextsResult, UseContextParams, UseContextResult } from '../protocol/contexts.js';
import type { ClusterStatus } from '../protocol/status.js';
import type { ClusterSettings } from './settings.js';
import type { Health } from './status.js';

/** How long `useContext` waits for the first attempt before answering with the state so far. */
const useContextWaitMs = 15_000;

export interface ServerClusterDeps {
  health: Health;
  /** For relative kubeconfig paths: the first workspace folder's path, if any. */
  baseDirectory: () => string | undefined;
  /** Environment for kubeconfig loading (KUBECONFIG, HOME). */
  env: Record<string, string | undefined>;
  log: (message: string) => void;
  /**
   * Whether the kubeconfig user's credential plugin may run (the client asks the user once and remembers). The
   * server never connects with an `exec` user it was not allowed to: connecting would run the command.
   */
  approveExec: (request: { kubeconfig: string; context: string; user: string; command: string; args: string[] }) => Promise<boolean>;
}

/** Owns the LiveCluster: start, switch, dispose; its facts, its default namespace, its status. */
export class ServerCluster {
  private live: LiveCluster | undefined;
  private settings: ClusterSettings | undefined;
  private override: UseContextParams | undefined;
  private started = '';
  private epoch = 0;
  private ready: Promise<void> = Promise.resolve();
  private settled = false;
  private notified: { facts: ClusterFactsProvider; status: ClusterStatus; live: LiveCluster | undefined } | undefined;
  private subscription: { dispose(): void } | undefined;
  private objectSubscription: { dispose(): void } | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly objectListeners = new Set<() => void>();
  private status: ClusterStatus = { state: 'off', message: 'No cluster settings yet' };
  /** The caches CDI's PVC webhook configuration was last read for (read again after a reconnect or a switch). */
  private webhookReadFor: unknown;

  constructor(private readonly deps: ServerClusterDeps) {}

  /** Applies the cluster settings; (re)starts the cluster when what it connects to changed. */
  configure(settings: ClusterSettings): void {
    if (this.settings && this.settings.context !== settings.context) this.override = undefined;
    this.settings = settings;
    const effective = this.effective();
    const key = JSON.stringify(effective);
    if (key === this.started) return;
    this.started = key;
    this.restart(effective);
  }

  /** The live cluster, when one is started (connected or not). */
  current(): LiveCluster | undefined {
    return this.live;
  }

  /** What core layers under the workspace: live facts while connected, otherwise none (workspace-only). */
  facts(): ClusterFactsProvider {
    return this.live && this.status.state === 'connected' ? this.live.facts.view() : noCluster;
  }

  /** The namespace of manifests that name none, as kubectl would use it; undefined to keep the default. */
  defaultNamespace(): string | undefined {
    return this.live?.connection?.namespace ?? this.status.namespace;
  }

  /** Called after the facts changed or the cluster was switched. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after a claim object (PVC, DataVolume, populator source) of the live cluster changed. */
  onObjectsChange(listener: () => void): () => void {
    this.objectListeners.add(listener);
    return () => this.objectListeners.delete(listener);
  }

  async listContexts(): Promise<ListContextsResult> {
    const r = await listContexts(this.kubeconfigPath(), this.deps.env);
    if (!r.ok) return { ok: false, message: r.error.message, ...(r.error.kind === 'not-found' ? { reason: 'no-kubeconfig' as const } : {}) };
    const active = this.live?.connection?.context ?? this.effective().context ?? r.value.current;
    return { ok: true, current: r.value.current, ...(active ? { active } : {}), contexts: r.value.contexts, sources: r.value.sources };
  }

  /** Switches to `params.context` now; answers once the first attempt settled (or after a bound). */
  async useContext(params: UseContextParams): Promise<UseContextResult> {
    this.override = { context: params.context, ...(params.namespace ? { namespace: params.namespace } : {}) };
    const effective = this.effective();
    this.started = JSON.stringify(effective);
    this.restart(effective);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.ready, new Promise<void>((r) => (timer = setTimeout(r, useContextWaitMs)))]);
    clearTimeout(timer);
    return this.status;
  }

  dispose(): void {
    this.stop();
    this.listeners.clear();
    this.objectListeners.clear();
  }

  private effective(): ClusterSettings {
    const s = this.settings ?? { enabled: true };
    const context = this.override?.context ?? s.context;
    const namespace = this.override?.namespace ?? s.namespace;
    return {
      enabled: s.enabled || this.override !== undefined,
      ...(s.kubeconfig ? { kubeconfig: s.kubeconfig } : {}),
      ...(context ? { context } : {}),
      ...(namespace ? { namespace } : {}),
      // Allowing a plugin (re)connects: it is part of what the connection depends on.
      ...(s.allowedCredentialPlugins ? { allowedCredentialPlugins: s.allowedCredentialPlugins } : {}),
    };
  }

  /** The configured kubeconfig as a path: `~` expanded, a relative path taken from the workspace folder. */
  private kubeconfigPath(): string | undefined {
    const p = this.settings?.kubeconfig;
    if (!p) return undefined;
    const home = this.deps.env.HOME || this.deps.env.USERPROFILE || homedir();
    if (p === '~' || p.startsWith('~/')) return join(home, p.slice(1));
    return isAbsolute(p) ? p : resolve(this.deps.baseDirectory() ?? process.cwd(), p);
  }

  private stop(): void {
    this.epoch++;
    this.subscription?.dispose();
    this.subscription = undefined;
    this.objectSubscription?.dispose();
    this.objectSubscription = undefined;
    this.live?.dispose();
    this.live = undefined;
  }

  private restart(config: ClusterSettings): void {
    this.stop();
    const epoch = this.epoch;
    this.settled = false;
    if (!config.enabled) {
      this.ready = Promise.resolve();
      this.report({ state: 'off', message: 'Cluster access is off (kubevirtStorage.cluster.enabled)', ...(config.namespace ? { namespace: config.namespace } : {}) });
      return;
    }
    // connect() reports expected failures as status; anything thrown is a bug, logged once, never unhandled.
    this.ready = this.connect(config, epoch).catch((error: unknown) => this.deps.health.failed('cluster-connect', 'Connecting to the cluster', error));
  }

  private async connect(config: ClusterSettings, epoch: number): Promise<void> {
    const kubeconfigPath = this.kubeconfigPath();
    const found = await listContexts(kubeconfigPath, this.deps.env);
    if (epoch !== this.epoch) return;
    if (!found.ok) {
      // No kubeconfig anywhere kubectl looks: nothing to connect to, and nothing wrong. A file the user named is.
      const missing = found.error.kind === 'not-found' && !kubeconfigPath;
      this.deps.log(`Cluster: ${found.error.message}`);
      this.report(missing ? { state: 'none', message: 'No kubeconfig found; analysing the workspace only', ...(config.namespace ? { namespace: config.namespace } : {}) }
        : { state: 'unavailable', message: found.error.message, ...(config.namespace ? { namespace: config.namespace } : {}) });
      this.settled = true;
      return;
    }
    const context = config.context ?? found.value.current;
    const info = found.value.contexts.find((c) => c.name === context);
    const namespace = config.namespace ?? info?.namespace ?? 'default';
    if (info?.exec) {
      const plugin = [info.exec.command, ...info.exec.args].join(' ');
      const approved = await this.deps.approveExec({ kubeconfig: found.value.sources.join(delimiter), context: info.name, user: info.user, ...info.exec });
      if (epoch !== this.epoch) return;
      if (!approved) {
        this.deps.log(`Cluster: the credential plugin of user ${JSON.stringify(info.user)} (${plugin}) was not allowed to run; not connecting`);
        this.report({ state: 'unavailable', context: info.name, namespace, message: `Not connected: the kubeconfig's user ${JSON.stringify(info.user)} gets its credentials by running "${plugin}", which was not allowed` });
        this.settled = true;
        return;
      }
    }
    this.report({ state: 'connecting', ...(context ? { context } : {}), namespace, message: `Connecting to context ${JSON.stringify(context ?? '')}` });
    const live = startLiveCluster({ kubeconfigPath, env: this.deps.env, context: config.context, namespace: config.namespace });
    this.live = live;
    this.subscription = live.facts.onDidChange(() => {
      if (epoch === this.epoch) this.update(live, epoch);
    });
    this.objectSubscription = live.facts.onDidChangeObjects(() => {
      if (epoch === this.epoch && this.status.state === 'connected') for (const l of [...this.objectListeners]) l();
    });
    await live.ready();
    if (epoch !== this.epoch) return;
    this.settled = true;
    this.update(live, epoch);
  }

  /** The live cluster's state → status, health, listeners (also when only its facts changed). */
  private update(live: LiveCluster, epoch: number): void {
    if (epoch !== this.epoch) return;
    const state = live.facts.state;
    const context = live.connection?.context ?? this.status.context;
    const namespace = live.connection?.namespace ?? this.status.namespace;
    const base = { ...(context ? { context } : {}), ...(namespace ? { namespace } : {}) };
    if (state.kind === 'connected') {
      this.learnPvcWebhook(live, epoch);
      this.report({ state: 'connected', ...base, message: `Live facts from context ${JSON.stringify(state.context)}` });
    } else if (state.kind === 'unavailable' && this.settled) {
      // One report per outage: the caches fail one by one, each naming itself; the first reason stands.
      if (this.status.state === 'unavailable') return this.notify();
      this.report({ state: 'unavailable', ...base, message: state.reason });
    } else {
      this.notify();
    }
  }

  /** Reads cdi-api-pvc-mutate once per connection (its caches): whether CDI's PVC webhook exists decides its renders. */
  private learnPvcWebhook(live: LiveCluster, epoch: number): void {
    const conn = live.connection;
    if (!conn || this.webhookReadFor === live.caches) return;
    this.webhookReadFor = live.caches;
    void readKubevirtVersion(conn)
      .then((r) => {
        if (epoch === this.epoch && r.ok && r.value) live.facts.setKubevirtVersion(r.value);
      })
      .catch((error: unknown) => this.deps.health.failed('cluster-kubevirt-version', 'Reading the KubeVirt CR', error));
    void readPvcWebhook(conn)
      .then((r) => {
        if (epoch !== this.epoch) return;
        if (r.ok) live.facts.setPvcWebhook(r.value);
        else this.deps.log(`Cluster: cannot read MutatingWebhookConfiguration cdi-api-pvc-mutate (${r.error.message}); CDI's configuration decides whether its PVC webhook exists`);
      })
      .catch((error: unknown) => this.deps.health.failed('cluster-pvc-webhook', 'Reading CDI\'s PVC webhook configuration', error));
  }

  private report(status: ClusterStatus): void {
    const was = this.status.state;
    this.status = status;
    const problem = status.state === 'unavailable'
      ? `Cluster${status.context ? ` ${JSON.stringify(status.context)}` : ''} unavailable, analysing the workspace only: ${status.message}`
      : undefined;
    this.deps.health.cluster(status, problem);
    if (was !== status.state) this.deps.log(`Cluster: ${status.state}: ${status.message}`);
    this.notify();
  }

  /** Tells the listeners when what they read changed: the facts core sees, the status, or the cluster itself. */
  private notify(): void {
    const now = { facts: this.facts(), status: this.status, live: this.live };
    const last = this.notified;
    if (last && last.facts === now.facts && last.live === now.live && JSON.stringify(last.status) === JSON.stringify(now.status)) return;
    this.notified = now;
    for (const l of [...this.listeners]) l();
  }
}
