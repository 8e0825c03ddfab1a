// The explorer's "Restore-size webhook" node (server/explorerWebhook.ts): what it shows for each status, and
// how its background reads are paced (one at a time, not more often than the minimum interval, `changed` only
// when the answer differs, re-read while replicas are not ready).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WebhookNodeSource, webhookNode } from '../../server/explorerWebhook.js';
import type { WebhookStatus, WebhookStatusResult } from '../../protocol/webhook.js';

const deployed = (o: Partial<WebhookStatus> = {}): WebhookStatusResult => ({
  ok: true,
  status: {
    deployed: true,
    namespace: 'cdi',
    replicas: { desired: 2, ready: 2 },
    certificate: { notAfter: '2027-11-21T12:00:00.000Z', daysLeft: 365, source: 'self-signed by the extension' },
    configuration: { name: 'kubevirt-storage-restore-size', present: true, ordersAfterCdi: true, cdiConfigurationPresent: true },
    summary: 'Restore-size webhook in namespace cdi: 2/2 replicas ready.',
    ...o,
  },
});

describe('the webhook node', () => {
  test('checking, unknown, not deployed', () => {
    assert.deepEqual([webhookNode(undefined).description, webhookNode(undefined).icon], ['checking…', 'sync']);
    const unknown = webhookNode({ ok: false, message: 'forbidden: list mutatingwebhookconfigurations' });
    assert.deepEqual([unknown.description, unknown.severity], ['status unknown', 'warning']);
    assert.match(unknown.tooltip ?? '', /forbidden: list mutatingwebhookconfigurations/);
    const absent = webhookNode({ ok: true, status: { deployed: false, summary: 'The restore-size webhook is not deployed on context prod.' } });
    assert.deepEqual([absent.id, absent.kind, absent.label, absent.description, absent.severity], ['restoreSizeWebhook', 'restoreSizeWebhook', 'Restore-size webhook', 'not deployed', undefined]);
  });

  test('deployed: replicas ready and certificate days left; the severity says what is wrong', () => {
    const good = webhookNode(deployed());
    assert.deepEqual([good.description, good.severity, good.icon], ['deployed · cdi · 2/2 ready · certificate 365 days left', 'ok', 'shield']);
    assert.equal(webhookNode(deployed({ replicas: { desired: 2, ready: 1 } })).severity, 'warning');
    assert.equal(webhookNode(deployed({ replicas: { desired: 2, ready: 0 } })).severity, 'error');
    const soon = webhookNode(deployed({ certificate: { notAfter: 'x', daysLeft: 25, source: 's', warning: 'the serving certificate expires in 25 days: renew it with the webhook-rotate operation' } }));
    assert.deepEqual([soon.severity, soon.description], ['warning', 'deployed · cdi · 2/2 ready · certificate 25 days left: rotate it']);
    assert.match(soon.tooltip ?? '', /⚠ the serving certificate expires in 25 days: renew it with the webhook-rotate operation/);
    assert.equal(webhookNode(deployed({ certificate: { notAfter: 'x', daysLeft: 25, source: 'cert-manager' } })).severity, 'ok', 'an issuer that renews needs no warning');
    const expired = webhookNode(deployed({ certificate: { notAfter: 'x', daysLeft: -1, source: 's' } }));
    assert.deepEqual([expired.severity, expired.description], ['error', 'deployed · cdi · 2/2 ready · certificate expired']);
    const before = webhookNode(deployed({ configuration: { name: 'a-first', present: true, ordersAfterCdi: false, cdiConfigurationPresent: true } }));
    assert.deepEqual([before.severity, before.description], ['error', 'deployed · cdi · 2/2 ready · certificate 365 days left · runs before CDI\'s']);
  });
});

/** A read the test answers by hand. */
function manualReads() {
  const pending: Array<(r: WebhookStatusResult) => void> = [];
  return { read: () => new Promise<WebhookStatusResult>((resolve) => pending.push(resolve)), pending };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('the node source', () => {
  test('reads in the background, one at a time, paced, and tells only when the answer differs', async () => {
    let now = 0;
    let changes = 0;
    const reads = manualReads();
    const source = new WebhookNodeSource(reads.read, () => changes++, { minIntervalMs: 2000, now: () => now });
    try {
      assert.equal(source.node().description, 'checking…');
      source.node();
      assert.equal(reads.pending.length, 1, 'one read at a time');
      reads.pending.shift()!({ ok: true, status: { deployed: false, summary: 'not deployed' } });
      await settle();
      assert.equal(changes, 1);
      now = 1000;
      assert.equal(source.node().description, 'not deployed');
      assert.equal(reads.pending.length, 0, 'not again within the minimum interval');
      now = 3000;
      source.node();
      assert.equal(reads.pending.length, 1, 'again after it');
      reads.pending.shift()!({ ok: true, status: { deployed: false, summary: 'not deployed' } });
      await settle();
      assert.equal(changes, 1, 'the same answer changes nothing');
      source.refresh(true);
      assert.equal(reads.pending.length, 1, 'forced');
      reads.pending.shift()!(deployed());
      await settle();
      assert.equal(changes, 2);
      assert.match(source.node().description ?? '', /^deployed/);
    } finally {
      source.dispose();
    }
  });

  test('a failing read becomes a node; answers after dispose are dropped', async () => {
    let changes = 0;
    const source = new WebhookNodeSource(() => Promise.reject(new Error('boom')), () => changes++, { minIntervalMs: 0 });
    source.node();
    await settle();
    assert.equal(source.node().description, 'status unknown');
    assert.equal(changes, 1);
    const reads = manualReads();
    const late = new WebhookNodeSource(reads.read, () => changes++);
    late.node();
    late.dispose();
    reads.pending.shift()!(deployed());
    await settle();
    assert.equal(changes, 1);
  });

  test('re-reads on a timer while replicas are not all ready', async () => {
    const answers = [deployed({ replicas: { desired: 2, ready: 0 } }), deployed()];
    let reads = 0;
    let changed!: () => void;
    const twice = new Promise<void>((resolve) => (changed = resolve));
    let changes = 0;
    const source = new WebhookNodeSource(async () => answers[Math.min(reads++, 1)]!, () => ++changes === 2 && changed(), { pendingRecheckMs: 10 });
    // The source's timer does not hold the process open (unref): this deadline does, and bounds the wait.
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => (deadline = setTimeout(() => reject(new Error('no re-read within 5 s')), 5000)));
    try {
      source.node();
      await Promise.race([twice, timedOut]);
      assert.equal(reads, 2);
      assert.equal(source.node().severity, 'ok');
    } finally {
      clearTimeout(deadline);
      source.dispose();
    }
  });
});
