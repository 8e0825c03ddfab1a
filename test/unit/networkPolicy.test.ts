// Issue 16 item 5: the deploy's NetworkPolicy admits only the API server to the webhook port, from the peers the
// cluster shows (or the user gives); with no peer known there is no policy (it would shut the API server out).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planWebhookDeploy, type WebhookDeployInputs } from '../../core/ops/webhook/deploy.js';
import { planWebhook } from '../../core/ops/webhook/manifests.js';
import { networkPolicyObject, toCidr } from '../../core/ops/webhook/networkPolicy.js';

describe('toCidr', () => {
  test('addresses and CIDRs, v4 and v6; anything else is refused', () => {
    const table: [string, string | undefined][] = [
      ['10.0.0.1', '10.0.0.1/32'],
      ['10.0.0.0/8', '10.0.0.0/8'],
      [' 192.168.1.10/32 ', '192.168.1.10/32'],
      ['fd00::1', 'fd00::1/128'],
      ['2001:db8::/32', '2001:db8::/32'],
      ['::ffff:10.0.0.1', '::ffff:10.0.0.1/128'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8/128'],
      ['256.0.0.1', undefined],
      ['10.0.0.1/33', undefined],
      ['10.0.0.1/8/1', undefined],
      ['fd00::1::2', undefined],
      ['1:2:3:4:5:6:7:8:9', undefined],
      ['api.example.com', undefined],
      ['', undefined],
      ['constructor', undefined],
    ];
    for (const [input, expected] of table) assert.equal(toCidr(input), expected, input);
  });
});

describe('the NetworkPolicy', () => {
  const meta = { name: 'w', namespace: 'ns', labels: { a: 'b' } };
  test('ingress to the selected pods on the port, from the CIDRs and the konnectivity agents only', () => {
    const o = networkPolicyObject(meta, { app: 'w' }, 8443, { cidrs: ['10.0.0.2/32', '10.0.0.1/32', '10.0.0.1/32'], konnectivity: true });
    assert.deepEqual(o?.spec, {
      podSelector: { matchLabels: { app: 'w' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: [{ protocol: 'TCP', port: 8443 }],
          from: [
            { ipBlock: { cidr: '10.0.0.1/32' } },
            { ipBlock: { cidr: '10.0.0.2/32' } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'konnectivity-agent' } } },
          ],
        },
      ],
    });
    assert.equal(networkPolicyObject(meta, { app: 'w' }, 8443, { cidrs: [], konnectivity: false }), undefined);
  });

  test('in the plan: after the Service, before the Deployment, selecting the pods; a bad CIDR is refused', () => {
    const p = planWebhook({ namespace: 'kvs', tlsMode: 'openshift-service-ca', networkPolicy: { cidrs: ['172.18.0.2/32'], konnectivity: false } });
    assert.ok(p.ok);
    const kinds = p.plan.objects.map((o) => o.kind);
    assert.deepEqual(kinds.slice(kinds.indexOf('Service'), kinds.indexOf('Deployment') + 1), ['Service', 'NetworkPolicy', 'Deployment']);
    const policy = p.plan.objects.find((o) => o.kind === 'NetworkPolicy') as unknown as { spec: { podSelector: { matchLabels: object } } };
    const deployment = p.plan.objects.find((o) => o.kind === 'Deployment') as unknown as { spec: { selector: { matchLabels: object } } };
    assert.deepEqual(policy.spec.podSelector.matchLabels, deployment.spec.selector.matchLabels);
    const bad = planWebhook({ namespace: 'kvs', tlsMode: 'openshift-service-ca', networkPolicy: { cidrs: ['10.0.0.1'], konnectivity: false } });
    assert.deepEqual(bad.ok ? [] : bad.errors, ['"10.0.0.1" is not a CIDR (a.b.c.d/n or an IPv6 address/n)']);
  });

  const inputs = (networkPolicy: WebhookDeployInputs['networkPolicy']): WebhookDeployInputs => ({
    target: { context: 'c', server: 's' },
    platform: { openshiftServiceCa: true, certManager: false, cdiServed: true, cdiConfigurationPresent: true, cdiNamespace: 'cdi' },
    namespace: 'cdi',
    namespaceExists: true,
    tlsMode: 'openshift-service-ca',
    cdi: { inflatesSnapshotRestores: true, note: 'CDI v1.63.' },
    verifyWith: { skipped: 'none' },
    networkPolicy,
  });

  test('the deploy puts it in the workload phase and says where the peers came from, or why there is none', () => {
    const r = planWebhookDeploy(inputs({ peers: { cidrs: ['10.1.2.3/32'], konnectivity: false }, sources: "the kubernetes Service's endpoints" }));
    assert.ok(r.ok);
    const workload = r.plan.phases.find((p) => p.id === 'workload')!;
    assert.deepEqual(workload.writes.map((w) => (w.action === 'apply' ? w.object.kind : w.action)), ['Service', 'NetworkPolicy', 'Deployment', 'PodDisruptionBudget']);
    assert.ok(r.plan.notes.some((n) => /only the API server \(10\.1\.2\.3\/32; the kubernetes Service's endpoints\)/.test(n)));
    const none = planWebhookDeploy(inputs({ peers: { cidrs: [], konnectivity: false }, sources: 'nothing readable' }));
    assert.ok(none.ok && !none.plan.phases.some((p) => p.writes.some((w) => w.action === 'apply' && w.object.kind === 'NetworkPolicy')));
    assert.ok(none.ok && none.plan.notes.some((n) => /No NetworkPolicy: where the API server calls from is unknown \(give --api-server-cidr\)/.test(n)));
    const skipped = planWebhookDeploy(inputs({ skipped: 'not asked for (--network-policy none).' }));
    assert.ok(skipped.ok && skipped.plan.notes.includes('No NetworkPolicy: not asked for (--network-policy none).'));
  });
});
