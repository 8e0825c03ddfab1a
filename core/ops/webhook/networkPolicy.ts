/**
 * The webhook's NetworkPolicy: ingress to its pods only on the webhook port and only from where the API server
 * calls webhooks. Where that is differs by platform, so the peers are read off the cluster (cluster/ops/webhook/
 * detect.ts) or given by the user:
 * - an API server on the host network (kubeadm, OpenShift, k3s, RKE2) dials from its node's address, which is
 *   what the `kubernetes` Service's EndpointSlice lists; EKS's control-plane ENIs are listed there as well;
 * - GKE and AKS reach pods (webhooks included) through konnectivity agents, pods in kube-system labelled
 *   `k8s-app: konnectivity-agent`: a namespace + pod selector;
 * - anything else (a separate control-plane network, NAT): the user's `--api-server-cidr`.
 * Pod selectors cannot name the API server (it is no pod of the cluster), hence addresses. A CNI that ignores
 * NetworkPolicy (flannel alone, for one) leaves the policy inert; the webhook's own caps still hold then.
 */
import { LABEL } from '../../kinds/index.js';

export interface ApiServerPeers {
  /** CIDRs the API server calls from (an address alone becomes /32 or /128). */
  cidrs: string[];
  /** Konnectivity agents run in kube-system: the calls come from them. */
  konnectivity: boolean;
}

export const KONNECTIVITY_AGENT = { namespace: 'kube-system', label: 'konnectivity-agent' } as const;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `a.b.c.d[/n]` or an IPv6 address `[/n]`, as a CIDR; undefined when it is neither. */
export function toCidr(text: string): string | undefined {
  const [address = '', prefix, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const v4 = IPV4.test(address);
  const v6 = !v4 && isIpv6(address);
  if (!v4 && !v6) return undefined;
  const max = v4 ? 32 : 128;
  if (prefix === undefined) return `${address}/${max}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return undefined;
  return `${address}/${Number(prefix)}`;
}

function isIpv6(address: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(address) || !address.includes(':')) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const last = groups[groups.length - 1] ?? '';
  const v4Tail = IPV4.test(last);
  const hex = v4Tail ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hex.length + (v4Tail ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/** The policy for pods selected by `podLabels`, or undefined when no peer is known (it would shut the API server out). */
export function networkPolicyObject(
  meta: { name: string; namespace: string; labels: Record<string, string> },
  podLabels: Record<string, string>,
  port: number,
  peers: ApiServerPeers,
): Record<string, unknown> | undefined {
  const from: Record<string, unknown>[] = [...new Set(peers.cidrs)].sort().map((cidr) => ({ ipBlock: { cidr } }));
  if (peers.konnectivity) {
    from.push({
      namespaceSelector: { matchLabels: { [LABEL.namespaceName]: KONNECTIVITY_AGENT.namespace } },
      podSelector: { matchLabels: { [LABEL.k8sApp]: KONNECTIVITY_AGENT.label } },
    });
  }
  if (from.length === 0) return undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: meta.name, namespace: meta.namespace, labels: { ...meta.labels } },
    spec: {
      podSelector: { matchLabels: { ...podLabels } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port }], from }],
    },
  };
}

/** What the preview says of the policy. */
export function networkPolicyNote(peers: ApiServerPeers, sources: string): string {
  const what = [...(peers.cidrs.length > 0 ? [`${peers.cidrs.join(', ')}`] : []), ...(peers.konnectivity ? ['the konnectivity agents in kube-system'] : [])].join(' and ');
  return `A NetworkPolicy lets only the API server (${what}; ${sources}) reach the webhook's port; other pods cannot, so they cannot load it into its memory limit. A CNI that does not enforce NetworkPolicy ignores it.`;
}
