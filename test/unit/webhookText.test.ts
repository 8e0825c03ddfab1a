// The words of the restore-size webhook commands (client/webhookText.ts): outcome summaries, the confirmation,
// the preview document, the TLS choices, the end-of-deploy message and the status details.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import {
  applyQuestion,
  applyResultMessage,
  outcomeLines,
  outcomeSummary,
  previewText,
  statusHealthy,
  statusMarkdown,
  tlsChoices,
  tlsModeOfStatus,
} from '../../client/webhookText.js';
import type { WebhookObjectOutcome, WebhookPlan, WebhookStatus } from '../../protocol/webhook.js';

const outcomes: WebhookObjectOutcome[] = [
  { kind: 'ServiceAccount', namespace: 'cdi', name: 'kubevirt-storage-restore-size', action: 'create' },
  { kind: 'ClusterRole', name: 'kubevirt-storage-restore-size', action: 'unchanged' },
  { kind: 'Deployment', namespace: 'cdi', name: 'kubevirt-storage-restore-size', action: 'update' },
  { kind: 'MutatingWebhookConfiguration', name: 'kubevirt-storage-restore-size', action: 'create' },
];

function plan(o: Partial<WebhookPlan> = {}): WebhookPlan {
  return {
    planId: 'plan-1-abc',
    namespace: 'cdi',
    image: 'ghcr.io/grandeit/pvc-shrink-ray:latest',
    tlsMode: 'self-signed',
    platform: { openshiftServiceCa: false, certManager: false },
    cdi: { version: '1.63.1', inflatesSnapshotRestores: true, note: 'CDI 1.63.1 inflates PVCs restored from VolumeSnapshots.' },
    yaml: '# a note\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: kubevirt-storage-restore-size\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: kubevirt-storage-restore-size\n',
    objects: outcomes.map(({ kind, namespace, name }) => ({ apiVersion: 'v1', kind, ...(namespace ? { namespace } : {}), name })),
    ...o,
  };
}

const status = (o: Partial<WebhookStatus> = {}): WebhookStatus => ({
  deployed: true,
  namespace: 'cdi',
  image: 'ghcr.io/grandeit/pvc-shrink-ray:latest',
  replicas: { desired: 2, ready: 2 },
  certificate: { notAfter: '2027-11-21T12:00:00.000Z', daysLeft: 365, source: 'self-signed by the extension (rotate it before it expires)' },
  configuration: { name: 'kubevirt-storage-restore-size', present: true, ordersAfterCdi: true, cdiConfigurationPresent: true },
  summary: 'Restore-size webhook in namespace cdi: 2/2 replicas ready.',
  ...o,
});

describe('outcomes', () => {
  test('summaries count per action in a fixed order, without zeros, in both tenses', () => {
    assert.equal(outcomeSummary(outcomes, 'future'), '2 to create, 1 to update, 1 unchanged');
    assert.equal(outcomeSummary(outcomes, 'past'), '2 created, 1 updated, 1 unchanged');
    assert.equal(outcomeSummary([], 'future'), 'nothing');
  });
  test('one aligned line per object, namespaced or not', () => {
    assert.deepEqual(outcomeLines(outcomes.slice(0, 2)), [
      'create     ServiceAccount cdi/kubevirt-storage-restore-size',
      'unchanged  ClusterRole kubevirt-storage-restore-size',
    ]);
  });
});

describe('the deploy conversation', () => {
  test('the confirmation names the count, the context and namespace, and the dry run', () => {
    assert.equal(applyQuestion(plan(), 'prod', outcomes), 'Apply these 4 objects to prod/cdi? The server-side dry run passed: 2 to create, 1 to update, 1 unchanged.');
    const same = outcomes.map((o) => ({ ...o, action: 'unchanged' as const }));
    assert.match(applyQuestion(plan(), 'prod', same), /^Every one of the 4 objects is already in prod\/cdi as planned\./);
  });

  test('the preview is the plan\'s YAML under a comment header, which the dry run fills in', () => {
    const before = previewText(plan(), 'prod');
    assert.match(before, /^# Restore-size webhook, plan plan-1-abc: 4 objects for context prod, namespace cdi\n/);
    assert.match(before, /^# Server-side dry run: running…$/m);
    assert.ok(before.endsWith(plan().yaml), 'the manifests are the plan\'s, unchanged');
    const after = previewText(plan(), 'prod', outcomes);
    assert.match(after, /^# Server-side dry run \(dryRun=All\):\n# {3}create {5}ServiceAccount cdi\/kubevirt-storage-restore-size$/m);
    const kinds = parseAllDocuments(after).map((d) => d.toJS() as { kind?: string } | null).filter((o) => o).map((o) => o!.kind);
    assert.deepEqual(kinds, ['ServiceAccount', 'MutatingWebhookConfiguration'], 'the header is comments only');
  });

  test('TLS: no question on a plain cluster; the detected mode first when there is a choice', () => {
    assert.deepEqual(tlsChoices(plan()).map((c) => c.mode), ['self-signed']);
    const openshift = tlsChoices(plan({ tlsMode: 'openshift-service-ca', platform: { openshiftServiceCa: true, certManager: true } }));
    assert.deepEqual(openshift.map((c) => [c.mode, c.description]), [['openshift-service-ca', 'detected default'], ['cert-manager', ''], ['self-signed', '']]);
    const picked = tlsChoices(plan({ tlsMode: 'self-signed', platform: { openshiftServiceCa: false, certManager: true } }));
    assert.deepEqual(picked.map((c) => c.mode), ['self-signed', 'cert-manager']);
  });

  test('the result: verified, verification skipped with its reason, failed with what was applied', () => {
    assert.deepEqual(applyResultMessage({ ok: true, outcomes, verified: true, verification: 'a dry-run restore PVC of 22,229,812 bytes was patched to 20Mi' }, 'prod/cdi'), {
      severity: 'info',
      text: 'The restore-size webhook is deployed to prod/cdi (2 created, 1 updated, 1 unchanged) and verified: a dry-run restore PVC of 22,229,812 bytes was patched to 20Mi',
    });
    const skipped = applyResultMessage({ ok: true, outcomes, verified: false, verification: 'no VolumeSnapshot with a restoreSize to test with' }, 'prod/cdi');
    assert.equal(skipped.severity, 'warning');
    assert.match(skipped.text, /but verification was skipped: no VolumeSnapshot with a restoreSize to test with$/);
    const failed = applyResultMessage({ ok: false, message: 'the rollout timed out', outcomes: outcomes.slice(0, 2) }, 'prod/cdi');
    assert.equal(failed.severity, 'error');
    assert.equal(failed.text, 'Deploying the restore-size webhook to prod/cdi stopped: the rollout timed out. Applied before it stopped: ServiceAccount cdi/kubevirt-storage-restore-size. Deploy again to finish, or Uninstall to remove what was applied.');
    assert.match(applyResultMessage({ ok: false, message: 'forbidden' }, 'prod/cdi').text, /Nothing was changed\.$/);
    // The server's own account of what was applied is not repeated.
    const named = applyResultMessage({ ok: false, message: 'Cancelled. Applied: ServiceAccount cdi/a. Not applied: Deployment cdi/a.', outcomes: outcomes.slice(0, 1) }, 'prod/cdi');
    assert.equal(named.text, 'Deploying the restore-size webhook to prod/cdi stopped: Cancelled. Applied: ServiceAccount cdi/a. Not applied: Deployment cdi/a. Deploy again to finish, or Uninstall to remove what was applied.');
  });
});

describe('status', () => {
  test('healthy only when deployed, all replicas ready, ordered after CDI\'s, the certificate not about to expire', () => {
    assert.equal(statusHealthy(status()), true);
    assert.equal(statusHealthy(status({ deployed: false })), false);
    assert.equal(statusHealthy(status({ replicas: { desired: 2, ready: 1 } })), false);
    assert.equal(statusHealthy(status({ configuration: { name: 'a', present: true, ordersAfterCdi: false, cdiConfigurationPresent: true } })), false);
    assert.equal(statusHealthy(status({ certificate: { notAfter: '2025-11-25T00:00:00Z', daysLeft: 3, source: 'x' } })), false);
  });

  test('the TLS mode from the certificate source; details as a markdown table', () => {
    assert.equal(tlsModeOfStatus(status()), 'self-signed');
    assert.equal(tlsModeOfStatus(status({ certificate: { notAfter: 'x', daysLeft: 90, source: 'cert-manager (renewed automatically)' } })), 'cert-manager');
    assert.equal(tlsModeOfStatus(status({ certificate: { notAfter: 'x', daysLeft: 90, source: 'OpenShift service-ca (renewed automatically)' } })), 'openshift-service-ca');
    assert.equal(tlsModeOfStatus(status({ certificate: undefined })), undefined);
    const md = statusMarkdown(status(), 'prod');
    assert.match(md, /^# Restore-size webhook in prod\n/);
    assert.match(md, /^\| Replicas ready \| 2 of 2 \|$/m);
    assert.match(md, /^\| Ordered after CDI's \| yes \|$/m);
  });
});
