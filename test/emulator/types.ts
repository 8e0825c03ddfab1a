// Public contract of the API emulator (re-exported by index.ts) and the shapes shared inside it.

/** A Kubernetes object as plain JSON. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KMeta;
  [key: string]: unknown;
}

export interface KMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface EmulatorOptions {
  /** Default true: HTTPS with a self-signed CA; the kubeconfig carries certificate-authority-data. */
  https?: boolean;
  /** Extra API resources to serve beyond the defaults (a spec with the same group/version/plural replaces one). */
  resources?: ApiResourceSpec[];
  /** Groups to leave out (to emulate a cluster without CDI, snapshots, cert-manager ...). */
  withoutGroups?: string[];
  /** Group versions of the defaults to leave out, as `group/version` (e.g. `hco.kubevirt.io/v1`: an HCO before v1.18). */
  withoutVersions?: string[];
  /** Server version reported at /version. */
  version?: { major: string; minor: string; gitVersion: string };
  /** Interval of BOOKMARK events on watches that asked for them (default 1000 ms; kube-apiserver: about a minute). */
  bookmarkIntervalMs?: number;
  /** Watch events kept for resuming from an old resourceVersion (default 100,000); older ones answer 410. */
  watchHistory?: number;
}

export interface ApiResourceSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular?: string;
  namespaced: boolean;
  shortNames?: string[];
  subresources?: 'status'[];
}

export type EmulatorUser = 'admin' | 'readonly' | 'forbidden' | 'bad';

export interface EmulatorStore {
  create(obj: object): object;
  update(obj: object): object;
  upsert(obj: object): object;
  /** JSON-merge-patches `status` into the object's status. */
  patchStatus(apiVersion: string, kind: string, namespace: string | undefined, name: string, status: object): object;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): object | undefined;
  list(apiVersion: string, kind: string, namespace?: string): object[];
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean;
}

export interface EmulatorFaults {
  /**
   * Fail the next `times` (default 1) requests matching with an HTTP status and a Status body: `method`, a `path`
   * regex (and a `notPath` one), only `writes` (POST/PUT/PATCH/DELETE), only with or without `dryRun`; the first
   * `skip` matching requests pass (so "refuse the 3rd write" is `{ writes: true, dryRun: false, skip: 2 }`).
   */
  failNext(match: { method?: string; path?: RegExp; notPath?: RegExp; writes?: boolean; dryRun?: boolean; skip?: number }, status: number, times?: number): void;
  /** Added to every request. */
  latency(ms: number): void;
  /** Close every open watch stream now. */
  dropWatches(): void;
  /** Every resourceVersion issued so far becomes too old: watches from one get a 410 ERROR event, as do continue tokens and exact LISTs. */
  expireResourceVersions(): void;
  /** Clears pending failures and latency. */
  reset(): void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  user: string;
}

/** Where `clientConfig.service` of a webhook leads: the test registers the real URL of its server. */
export interface ServiceRegistry {
  /**
   * Routes calls to service `namespace/name` on `port` (default 443) to `url` (e.g. https://127.0.0.1:PORT).
   * The webhook's certificate is still verified against `<name>.<namespace>.svc`, as kube-apiserver does.
   */
  register(namespace: string, name: string, port: number | undefined, url: string): void;
  unregister(namespace: string, name: string, port?: number): void;
}

/** One call the emulator made to an admission webhook (for assertions on order and reinvocation). */
export interface WebhookCall {
  configuration: string;
  webhook: string;
  kind: 'mutating' | 'validating';
  operation: string;
  round: number;
  url: string;
  dryRun: boolean;
  /** 'patched' | 'allowed' | 'denied' | 'error: ...' */
  outcome: string;
}

/** What a node's kubelet answers through the API server's node proxy (`/api/v1/nodes/<node>/proxy/<path>`). */
export type KubeletAnswer = { status: number; body: unknown };

/** The kubelets behind the node proxy: a node without one answers 503, as an unreachable kubelet does. */
export interface KubeletRegistry {
  /** Serves `node`'s kubelet: `answer(path)` for each proxied request (`/stats/summary`, ...). */
  set(node: string, answer: (path: string) => KubeletAnswer): void;
  delete(node: string): void;
}

export interface Emulator {
  url: string;
  caPem?: string;
  kubeconfig(opts?: { user?: EmulatorUser; namespace?: string; contextName?: string }): string;
  store: EmulatorStore;
  faults: EmulatorFaults;
  requests: RecordedRequest[];
  services: ServiceRegistry;
  webhookCalls: WebhookCall[];
  kubelets: KubeletRegistry;
  /** Sends a BOOKMARK now on every open watch that allowed bookmarks. */
  sendBookmarks(): void;
  /** Bearer tokens per user, for raw HTTP tests. */
  tokens: Record<EmulatorUser, string>;
  close(): Promise<void>;
}
