/**
 * The one place that loads @kubernetes/client-node. Loading it costs about a second and tens of megabytes,
 * so it happens on the first connect, not when a language server without a cluster starts.
 */
import type * as k8s from '@kubernetes/client-node';

export type ClientNode = typeof k8s;
export type KubeConfig = k8s.KubeConfig;

let loading: Promise<ClientNode> | undefined;

export function clientNode(): Promise<ClientNode> {
  loading ??= import('@kubernetes/client-node');
  return loading;
}
