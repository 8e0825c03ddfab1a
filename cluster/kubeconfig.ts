/**
 * Kubeconfig loading with kubectl's rules (client-go clientcmd's ClientConfigLoadingRules):
 * - an explicit path (`--kubeconfig`) is the only file read, and it must exist;
 * - else every file in `KUBECONFIG` (split on the platform's path delimiter; missing files ignored) is
 *   merged: for clusters, users and contexts the first file that names an entry wins, and the first
 *   non-empty `current-context` wins;
 * - else `~/.kube/config`;
 * - else the in-cluster service account.
 * Parsing, credentials (client certificates, tokens, exec plugins, OIDC) and proxies are client-node's.
 * client-node's own loadFromDefault differs from kubectl on merges (the last current-context wins and a
 * duplicate name throws), hence the merge here.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { decodeSourceText } from '../core/sourceText.js';
import { clientNode, type KubeConfig } from './clientNode.js';
import { fail, ok, type Result } from './errors.js';

export interface KubeconfigOptions {
  /** Like `kubectl --kubeconfig`: only this file. */
  kubeconfigPath?: string;
  /** Environment to read KUBECONFIG, HOME and the in-cluster variables from; process.env by default. */
  env?: Record<string, string | undefined>;
}

export interface LoadedKubeconfig {
  kc: KubeConfig;
  /** The files read, in order, or `in-cluster`. */
  sources: string[];
}

const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Why `file` cannot be a kubeconfig, in words a user can act on; undefined when client-node may load it. Without
 * this a directory is "EISDIR", an empty file "Cannot read properties of undefined (reading 'clusters')" and a
 * binary one a screenful of its bytes.
 */
function unusable(file: string): string | undefined {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) return 'it is a directory, not a file';
    bytes = readFileSync(file);
  } catch (err) {
    return describe(err);
  }
  const decoded = decodeSourceText(bytes);
  if (!decoded.ok) return decoded.reason.replace(/, not YAML text$/, '');
  let doc: unknown;
  try {
    doc = parse(decoded.text);
  } catch {
    return undefined; // client-node's own parser says where (loadFile keeps the first line of its message)
  }
  if (doc === null || doc === undefined) return 'it is empty (no clusters, contexts or users)';
  if (typeof doc !== 'object' || Array.isArray(doc)) return 'it is not a kubeconfig (a YAML mapping with clusters, contexts and users)';
  return undefined;
}

async function loadFile(file: string): Promise<Result<KubeConfig>> {
  const why = unusable(file);
  if (why) return fail('invalid', `kubeconfig ${file} cannot be read: ${why}`);
  const { KubeConfig } = await clientNode();
  const kc = new KubeConfig();
  try {
    // FILTER: an unusable entry elsewhere in the file must not stop the context in use (kubectl validates
    // only what it uses).
    kc.loadFromFile(file, { onInvalidEntry: 'filter' });
  } catch (err) {
    // A YAML error's message goes on with an excerpt of the file: its first line says what and where.
    return fail('invalid', `kubeconfig ${file} cannot be read: ${describe(err).split('\n')[0]}`);
  }
  return ok(kc);
}

/** Merges `next` into `into` with clientcmd's rules: the first definition of a name wins. */
function mergeFirstWins(into: KubeConfig, next: KubeConfig): void {
  if (!into.currentContext && next.currentContext) into.currentContext = next.currentContext;
  const clusters = new Set(into.clusters.map((c) => c.name));
  const users = new Set(into.users.map((u) => u.name));
  const contexts = new Set(into.contexts.map((c) => c.name));
  for (const c of next.clusters) if (!clusters.has(c.name)) into.clusters.push(c);
  for (const u of next.users) if (!users.has(u.name)) into.users.push(u);
  for (const c of next.contexts) if (!contexts.has(c.name)) into.contexts.push(c);
}

export async function loadKubeconfig(opts: KubeconfigOptions = {}): Promise<Result<LoadedKubeconfig>> {
  const env = opts.env ?? process.env;
  if (opts.kubeconfigPath) {
    if (!existsSync(opts.kubeconfigPath)) return fail('not-found', `kubeconfig ${opts.kubeconfigPath} does not exist`);
    const r = await loadFile(opts.kubeconfigPath);
    return r.ok ? ok({ kc: r.value, sources: [opts.kubeconfigPath] }) : r;
  }
  const list = env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter((f) => f !== '') : [];
  if (list.length > 0) {
    const present = list.filter((f) => existsSync(f));
    if (present.length === 0) return fail('not-found', `none of the KUBECONFIG files exist: ${list.join(delimiter)}`);
    let merged: KubeConfig | undefined;
    for (const f of present) {
      const r = await loadFile(f);
      if (!r.ok) return r;
      if (!merged) merged = r.value;
      else mergeFirstWins(merged, r.value);
    }
    return ok({ kc: merged!, sources: present });
  }
  const home = env.HOME || env.USERPROFILE || homedir();
  const defaultFile = join(home, '.kube', 'config');
  if (existsSync(defaultFile)) {
    const r = await loadFile(defaultFile);
    return r.ok ? ok({ kc: r.value, sources: [defaultFile] }) : r;
  }
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(serviceAccountToken)) {
    const { KubeConfig } = await clientNode();
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return ok({ kc, sources: ['in-cluster'] });
  }
  return fail('not-found', `no kubeconfig: KUBECONFIG is not set, ${defaultFile} does not exist, and this is not a pod with a service account`);
}

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  /** The context's namespace, when it sets one. */
  namespace?: string;
  /** The cluster's server URL, when the cluster entry exists. */
  server?: string;
  /** The user's credential plugin (`users[].user.exec`), when it has one: a command this machine would run. */
  exec?: { command: string; args: string[] };
}

export interface ContextList {
  /** kubeconfig's current-context, when set. */
  current?: string;
  contexts: ContextInfo[];
  sources: string[];
}

export function contextsOf(kc: KubeConfig): ContextInfo[] {
  return kc.contexts.map((c) => {
    const exec = (kc.getUser(c.user) as { exec?: { command?: unknown; args?: unknown } } | null)?.exec;
    const command = typeof exec?.command === 'string' ? exec.command : undefined;
    const args = Array.isArray(exec?.args) ? exec.args.map(String) : [];
    return {
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      namespace: c.namespace || undefined,
      server: kc.getCluster(c.cluster)?.server,
      ...(command !== undefined ? { exec: { command, args } } : {}),
    };
  });
}

/** The contexts kubectl would offer (`kubectl config get-contexts`), for a picker. */
export async function listContexts(kubeconfigPath?: string, env?: Record<string, string | undefined>): Promise<Result<ContextList>> {
  const r = await loadKubeconfig({ kubeconfigPath, env });
  if (!r.ok) return r;
  return ok({ current: r.value.kc.currentContext || undefined, contexts: contextsOf(r.value.kc), sources: r.value.sources });
}
