/**
 * Kubeconfig contexts: list them, and switch the live cluster to one (`kubevirtStorage/listContexts`,
 * `kubevirtStorage/useContext`). Any LSP client may send these; the README documents them.
 */
import { RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ClusterStatus } from './status.js';

/** A kubeconfig context as `kubectl config get-contexts` lists it. */
export interface KubeContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  /** The user's credential plugin, when it has one. */
  exec?: { command: string; args: string[] };
}

export type ListContextsResult =
  | {
      ok: true;
      /** kubeconfig's current-context. */
      current?: string;
      /** The context the server uses now (the setting, a `useContext`, else `current`). */
      active?: string;
      contexts: KubeContextInfo[];
      /** The kubeconfig files read. */
      sources: string[];
    }
  | {
      ok: false;
      message: string;
      /** `no-kubeconfig`: no kubeconfig file was found (the client offers to pick one). */
      reason?: 'no-kubeconfig';
    };

/**
 * Request `kubevirtStorage/listContexts` (client → server): the contexts of the configured kubeconfig. It takes
 * no params; the server ignores any that a client sends (`{}`, `null`).
 */
export const listContextsRequest = new RequestType0<ListContextsResult, void>('kubevirtStorage/listContexts');

export interface UseContextParams {
  context: string;
  /** Optional namespace (else the setting, else the context's). */
  namespace?: string;
}

/** What `useContext` answers: the cluster status after the first attempt. */
export type UseContextResult = ClusterStatus;

/**
 * Request `kubevirtStorage/useContext` (client → server): switch the live cluster to `context` now, and answer
 * once the first connection attempt has settled (bounded). The client also writes
 * `kubevirtStorage.cluster.context`, so the choice outlives the session; a later change of that setting wins.
 */
export const useContextRequest = new RequestType<UseContextParams, UseContextResult, void>('kubevirtStorage/useContext');
