// The words of the restore-size webhook's status (client/webhookText.ts) and of the one operation conversation
// (client/operations/text.ts): the confirmation naming the context and every delete, the result of a run, the
// undo confirmation with its conflicts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { confirmation, resultMessage, undoConfirmation } from '../../client/operations/text.js';
import { statusHealthy, statusMarkdown, tlsModeOfStatus } from '../../client/webhookText.js';
import type { DryRunView, PlannedOperation, RunView, UndoPreviewView } from '../../protocol/operations.js';
import type { WebhookStatus } from '../../protocol/webhook.js';

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

const planned: PlannedOperation = {
  planId: 'plan-1-abc',
  operation: 'webhook-uninstall',
  title: 'Uninstall the restore-size webhook (2 objects)',
  context: 'prod',
  server: 'https://prod:6443',
  namespace: 'cdi',
  preview: '# …',
  phases: [],
  checks: [],
  notes: [],
  questions: [],
  deletes: ['MutatingWebhookConfiguration a', 'Deployment cdi/a'],
};

const dry = (o: Partial<DryRunView> = {}): DryRunView => ({
  summary: 'The server-side dry run passed for 3 of 3 writes (1 to update, 2 to delete).',
  outcomes: [
    { label: 'MutatingWebhookConfiguration a', phase: 'remove', action: 'delete', dryRun: 'passed' },
    { label: 'Deployment cdi/a', phase: 'remove', action: 'delete', dryRun: 'passed' },
    { label: 'ConfigMap cdi/b', phase: 'remove', action: 'update', dryRun: 'passed' },
    { label: 'ConfigMap cdi/c', phase: 'remove', action: 'unchanged', dryRun: 'passed' },
  ],
  preview: '',
  deletes: ['MutatingWebhookConfiguration a', 'Deployment cdi/a'],
  changes: true,
  ...o,
});

const run = (o: Partial<RunView> = {}): RunView => ({ outcome: 'applied', message: 'Applied: 3 to create. Verified: x.', steps: [], undoable: true, ...o });

describe('the operation conversation', () => {
  test('the confirmation is a question naming the context, counting changes and deletions, and listing every delete', () => {
    const c = confirmation(planned, dry(), 'Uninstall');
    assert.equal(c.message, 'Uninstall on context prod/cdi? 3 changes, 2 deletions.');
    assert.equal(c.button, 'Uninstall');
    assert.match(c.detail, /^Uninstall the restore-size webhook \(2 objects\)\n\nThe server-side dry run passed for 3 of 3 writes/);
    assert.match(c.detail, /This deletes 2 objects:\n  • MutatingWebhookConfiguration a\n  • Deployment cdi\/a/);
    assert.match(c.detail, /Undo reverses it from the journal kept in the cluster/);
    assert.doesNotMatch(confirmation(planned, dry({ deletes: [] }), 'Deploy').detail, /This deletes/);
  });

  test('the result: done, applied but not verified, cancelled, stopped', () => {
    assert.deepEqual(resultMessage('Deploying the restore-size webhook', run(), 'prod/cdi'), { severity: 'info', text: 'Deploying the restore-size webhook on prod/cdi: done. Applied: 3 to create. Verified: x.' });
    assert.equal(resultMessage('D', run({ verification: { state: 'skipped', message: 'Verification skipped: no snapshot.' } }), 'p').severity, 'warning');
    assert.match(resultMessage('D', run({ verification: { state: 'failed', message: 'Not verified: x' } }), 'p').text, /applied, but the verification failed/);
    assert.equal(resultMessage('D', run({ outcome: 'cancelled', message: 'Cancelled. Applied: x.' }), 'p').text, 'D on p was cancelled. Cancelled. Applied: x.');
    assert.deepEqual(resultMessage('D', run({ outcome: 'failed', message: 'The apply failed at X.' }), 'p'), { severity: 'error', text: 'D on p stopped: The apply failed at X.' });
    assert.equal(resultMessage('D', run({ outcome: 'unchanged', message: 'Nothing to change.' }), 'p').severity, 'info');
  });

  test('undo: every step of every run; a conflict changes the question and the button', () => {
    const preview: UndoPreviewView = {
      runs: [{ runId: 'webhook-1', title: 'Deploy', startedAt: '2026-12-01T09:00:00Z', state: 'applied', steps: [{ kind: 'delete', why: 'Deployment cdi/a: created by this run' }, { kind: 'skip', why: 'ConfigMap cdi/b: already gone' }], conflicts: [] }],
      summary: 'Undo 1 run, latest first: Deployment cdi/a: created by this run.',
      changes: true,
    };
    const c = undoConfirmation(preview, 'prod');
    assert.equal(c.message, 'Undo 1 run on context prod?');
    assert.equal(c.button, 'Undo');
    assert.match(c.detail, /Run webhook-1 \(Deploy, 2026-12-01T09:00:00Z, applied\):\n  • Deployment cdi\/a: created by this run\n  – ConfigMap cdi\/b: already gone/);
    const conflicted = undoConfirmation({ ...preview, runs: [{ ...preview.runs[0]!, conflicts: ['ConfigMap cdi/b was changed since this run (data.x)'] }] }, 'prod');
    assert.equal(conflicted.message, 'Undo on context prod cannot go ahead: 1 object changed since.');
    assert.match(conflicted.button, /Overwrite/);
    assert.match(conflicted.detail, /✗ ConfigMap cdi\/b was changed since this run \(data\.x\)/);
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

test('the confirmation says what the plan sets off and stays (its confirm lines), and what undo can do when that is not the usual', () => {
  const c = confirmation(
    { ...planned, title: 'Delete VolumeResize shop/x (Failed)', deletes: ['VolumeResize shop/x'], confirm: ["The operator's finalizer then deletes every PVC and pod labelled with this migration's name: PVC d-new.", 'Stays: PV pv-old (old volume, reclaimPolicy Retain).'], undo: 'Undo cannot bring the VolumeResize back.' },
    dry({ deletes: ['VolumeResize shop/x'] }),
    'Delete',
  );
  assert.match(c.detail, /This deletes 1 object:\n {2}• VolumeResize shop\/x\n\nThe operator's finalizer then deletes every PVC and pod labelled with this migration's name: PVC d-new\.\nStays: PV pv-old/);
  assert.match(c.detail, /\nUndo cannot bring the VolumeResize back\.$/);
  assert.doesNotMatch(c.detail, /Undo reverses it/);
});
