// The API emulator: a loopback HTTP(S) server speaking enough of the Kubernetes API for the cluster
// contract tests. See README.md for usage and for where it departs from kube-apiserver.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { stringify } from 'yaml';
import { Admission } from './admission.js';
import { makeTokens } from './auth.js';
import { DirectStore } from './directStore.js';
import { defaultResources, ResourceRegistry } from './resources.js';
import { handle, type FrontState } from './server.js';
import { ObjectStore } from './store.js';
import { createCa, issueServingCert } from './tls.js';
import type { Emulator, EmulatorOptions, EmulatorUser, KubeletAnswer, WebhookCall } from './types.js';
import { WatchHub } from './watch.js';
import { Services } from './webhookClient.js';

export type * from './types.js';
export { createCa, issueServingCert } from './tls.js';
export type { CertificateAuthority, ServingCert } from './tls.js';

const defaultVersion = { major: '1', minor: '31', gitVersion: 'v1.31.0' };

/** Starts an emulator on 127.0.0.1 with a random port; the default namespaces exist. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const without = new Set(opts.withoutGroups ?? []);
  const withoutVersions = new Set(opts.withoutVersions ?? []);
  const registry = new ResourceRegistry(defaultResources.filter((s) => !without.has(s.group) && !withoutVersions.has(`${s.group}/${s.version}`)));
  for (const s of opts.resources ?? []) if (!without.has(s.group)) registry.add(s);
  const store = new ObjectStore(opts.watchHistory ?? 100_000);
  const services = new Services();
  const webhookCalls: WebhookCall[] = [];
  const watches = new WatchHub(store, opts.bookmarkIntervalMs ?? 1000);
  const ctx = { store, registry, admission: new Admission(store, registry, services, webhookCalls), watches };
  const direct = new DirectStore(store, registry);
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) direct.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  const tokens = makeTokens();
  let address = '';
  const kubelets = new Map<string, (path: string) => KubeletAnswer>();
  const state: FrontState = {
    ctx,
    kubelets,
    tokens,
    version: opts.version ?? defaultVersion,
    requests: [],
    faults: [],
    latencyMs: 0,
    serverAddress: () => address,
  };
  const useHttps = opts.https ?? true;
  let caPem: string | undefined;
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => void handle(state, req, res);
  let server: http.Server | https.Server;
  if (useHttps) {
    const ca = await createCa('kvs-emulator-ca');
    const cert = await issueServingCert(ca, ['127.0.0.1', 'localhost']);
    caPem = ca.certPem;
    server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, listener);
  } else server = http.createServer(listener);
  // Every socket, also one still in its TLS handshake (closeAllConnections knows only HTTP connections, and
  // server.close waits for the rest: a client reconnecting at that moment kept a test waiting for minutes).
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  const url = `${useHttps ? 'https' : 'http'}://${address}`;

  const emulator: Emulator = {
    url,
    ...(caPem ? { caPem } : {}),
    tokens,
    requests: state.requests,
    services,
    webhookCalls,
    kubelets: {
      set: (node, answer) => void kubelets.set(node, answer),
      delete: (node) => void kubelets.delete(node),
    },
    store: direct,
    kubeconfig({ user = 'admin', namespace = 'default', contextName = 'emulator' } = {}) {
      const cluster: Record<string, string> = { server: url };
      if (caPem) cluster['certificate-authority-data'] = Buffer.from(caPem).toString('base64');
      return stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'emulator', cluster }],
        users: [{ name: user, user: { token: tokens[user as EmulatorUser] } }],
        contexts: [{ name: contextName, context: { cluster: 'emulator', user, namespace } }],
        'current-context': contextName,
        preferences: {},
      });
    },
    faults: {
      failNext(match, status, times = 1) {
        const f: FrontState['faults'][number] = { status, times, skip: match.skip ?? 0 };
        if (match.method) f.method = match.method;
        if (match.path) f.path = match.path;
        if (match.notPath) f.notPath = match.notPath;
        if (match.writes) f.writes = true;
        if (match.dryRun !== undefined) f.dryRun = match.dryRun;
        state.faults.push(f);
      },
      latency(ms) {
        state.latencyMs = ms;
      },
      dropWatches() {
        watches.dropAll();
      },
      expireResourceVersions() {
        store.expire();
      },
      reset() {
        state.faults.length = 0;
        state.latencyMs = 0;
      },
    },
    sendBookmarks() {
      watches.bookmarkAll();
    },
    async close() {
      watches.dropAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
  return emulator;
}
