// The webhook server over real HTTPS on 127.0.0.1, verified against a test CA under the Service name:
// the HTTP contract of pvc-shrink-ray's handleMutate (405, 415, 400, the 1 MiB limit), probes, metrics
// and logs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySnapshotSource, type SnapshotSource } from '../../webhook/snapshotSource.js';
import { isJson } from '../../webhook/server.js';
import { call, metric, pvcReview, rawConnect, readResponse, snapshot, startServer, until, type Running } from './helpers.js';

const P = 'kubevirt_storage_restore_size_webhook';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('webhook server over HTTPS', () => {
  let s: Running;
  let snapshots: MemorySnapshotSource;
  const post = (body: string | Buffer, headers: Record<string, string> = JSON_HEADERS) => call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', body, headers);
  const get = (path: string) => call(s.port, s.tls.caCertificatePem, 'GET', path);
  const metrics = async () => (await get('/metrics')).body;

  before(async () => {
    snapshots = new MemorySnapshotSource([snapshot('vms', 'vm-snap', '20Mi')], false);
    s = await startServer({ snapshots });
  });
  after(async () => s.close());

  test('GET /healthz answers 200 ok', async () => {
    const r = await get('/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body.trim(), 'ok');
  });

  test('GET /readyz is 503 until the snapshot source is ready, then 200', async () => {
    snapshots.setReady(false);
    assert.equal((await get('/readyz')).status, 503);
    assert.match((await metrics()), new RegExp(`${P}_snapshot_cache_synced 0`));
    snapshots.setReady(true);
    assert.equal((await get('/readyz')).status, 200);
    assert.equal(metric(await metrics(), `${P}_snapshot_cache_synced`), 1);
  });

  test('the seed scenario: 22229812 bytes restoring a 20Mi snapshot is patched to 20Mi, with one JSON log line', async () => {
    const before = s.log.lines.length;
    const r = await post(JSON.stringify(pvcReview()));
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    const review = JSON.parse(r.body) as { apiVersion: string; kind: string; response: { uid: string; allowed: boolean; patchType: string; patch: string } };
    assert.equal(review.apiVersion, 'admission.k8s.io/v1');
    assert.equal(review.kind, 'AdmissionReview');
    assert.equal(review.response.uid, 'e911857d-c318-11e8-bbad-025000000001');
    assert.equal(review.response.allowed, true);
    assert.equal(review.response.patchType, 'JSONPatch');
    assert.deepEqual(JSON.parse(Buffer.from(review.response.patch, 'base64').toString()), [{ op: 'replace', path: '/spec/resources/requests/storage', value: '20Mi' }]);
    const patched = s.log.lines.slice(before).filter((l) => l.event === 'pvc-patched');
    assert.equal(patched.length, 1);
    assert.deepEqual(
      { pvc: patched[0]?.pvc, from: patched[0]?.from, fromBytes: patched[0]?.fromBytes, to: patched[0]?.to, toBytes: patched[0]?.toBytes, snapshot: patched[0]?.snapshot, level: patched[0]?.level },
      { pvc: 'vms/restore-tpm', from: '22229812', fromBytes: '22229812', to: '20Mi', toBytes: '20971520', snapshot: 'vms/vm-snap', level: 'info' },
    );
    assert.equal(patched[0]?.msg, 'Zapping oversized PVC vms/restore-tpm! Reducing size from 22229812 to RestoreSize 20Mi (VolumeSnapshot: vms/vm-snap)');
  });

  test('a request not larger than restoreSize is allowed without a patch', async () => {
    const r = JSON.parse((await post(JSON.stringify(pvcReview({ storage: '20Mi' })))).body) as { response: Record<string, unknown> };
    assert.equal(r.response.allowed, true);
    assert.equal(r.response.patch, undefined);
  });

  test('a non-PVC kind is allowed unchanged with 200', async () => {
    const r = await post(JSON.stringify(pvcReview({ kind: 'Pod', uid: 'pod-uid' })));
    assert.equal(r.status, 200);
    const review = JSON.parse(r.body) as { response: Record<string, unknown> };
    assert.equal(review.response.uid, 'pod-uid');
    assert.equal(review.response.allowed, true);
    assert.equal(review.response.patch, undefined);
  });

  test('a missing snapshot fails open: allowed, no patch, the reason in status.message', async () => {
    const r = JSON.parse((await post(JSON.stringify(pvcReview({ snapshot: 'gone' })))).body) as { response: { allowed: boolean; patch?: string; status: { message: string } } };
    assert.equal(r.response.allowed, true);
    assert.equal(r.response.patch, undefined);
    assert.match(r.response.status.message, /vms\/gone not found/);
  });

  test('other methods on /mutate are 405 with Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const r = await call(s.port, s.tls.caCertificatePem, method, '/mutate');
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.allow, 'POST');
    }
  });

  test('other content types are 415; application/json with a UTF-8 charset is accepted', async () => {
    const body = JSON.stringify(pvcReview());
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/json-patch+json', 'application/json; charset=latin1', 'application/yaml']) {
      assert.equal((await post(body, { 'Content-Type': ct })).status, 415, ct);
    }
    assert.equal((await post(body, {})).status, 415, 'no Content-Type');
    for (const ct of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
      assert.equal((await post(body, { 'Content-Type': ct })).status, 200, ct);
    }
  });

  test('isJson: the media type rules', () => {
    assert.equal(isJson(undefined), false);
    assert.equal(isJson(''), false);
    assert.equal(isJson('application/json'), true);
    assert.equal(isJson('application/json;'), true);
    assert.equal(isJson('application/json; boundary=x'), false);
    assert.equal(isJson('application/jsonx'), false);
  });

  test('an empty body is 400', async () => {
    const r = await post('');
    assert.equal(r.status, 400);
    assert.match(r.body, /empty request body/);
  });

  test('malformed JSON, a non-object and a missing request are 400', async () => {
    for (const body of ['{', '{"request":', 'not json', '\u0000', '[]', '"review"', '{}', '{"request":null}', '{"request":{"uid":5}}']) {
      const r = await post(body);
      assert.equal(r.status, 400, body);
    }
  });

  test('a body over 1 MiB is 413, whether declared in Content-Length or sent chunked', async () => {
    const before = metric(await metrics(), `${P}_errors_total{kind="payload-too-large"}`) ?? 0;
    // Declared: refused from the headers alone, nothing of the body needs to be sent.
    const declared = await rawConnect(s.port, s.tls.caCertificatePem);
    const answer = readResponse(declared);
    declared.write(`POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${(1 << 20) + 1}\r\n\r\n`);
    assert.equal((await answer).status, 413);
    declared.destroy();
    // Chunked: refused once the count passes the limit.
    const chunked = await rawConnect(s.port, s.tls.caCertificatePem);
    const chunkedAnswer = readResponse(chunked);
    chunked.on('error', () => undefined); // the server closes while we may still be writing
    chunked.write('POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const piece = ' '.repeat(64 * 1024);
    for (let i = 0; i < 17 && !chunked.destroyed; i++) chunked.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    assert.equal((await chunkedAnswer).status, 413);
    chunked.destroy();
    assert.equal(metric(await metrics(), `${P}_errors_total{kind="payload-too-large"}`), before + 2);
  });

  test('a body of exactly 1 MiB is read', async () => {
    const review = JSON.stringify(pvcReview());
    const body = review + ' '.repeat((1 << 20) - Buffer.byteLength(review));
    assert.equal(Buffer.byteLength(body), 1 << 20);
    assert.equal((await post(body)).status, 200);
  });

  test('unknown paths are 404; probes refuse POST', async () => {
    assert.equal((await get('/')).status, 404);
    assert.equal((await get('/mutate/extra')).status, 404);
    assert.equal((await call(s.port, s.tls.caCertificatePem, 'POST', '/healthz', '{}', JSON_HEADERS)).status, 405);
  });

  test('GET /metrics: Prometheus text with admissions by result, patches, errors and a latency histogram', async () => {
    const t0 = await metrics();
    await post(JSON.stringify(pvcReview())); // patched
    await post(JSON.stringify(pvcReview({ storage: '1Mi' }))); // unchanged
    await post(JSON.stringify(pvcReview({ kind: 'Pod' }))); // skipped
    await post(JSON.stringify(pvcReview({ snapshot: 'gone' }))); // failed-open
    await post('{'); // bad request
    const r = await get('/metrics');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const t1 = r.body;
    const delta = (series: string) => (metric(t1, series) ?? NaN) - (metric(t0, series) ?? NaN);
    for (const result of ['patched', 'unchanged', 'skipped', 'failed-open']) assert.equal(delta(`${P}_admissions_total{result="${result}"}`), 1, result);
    assert.equal(delta(`${P}_patches_total`), 1);
    assert.equal(delta(`${P}_errors_total{kind="bad-request"}`), 1);
    assert.equal(delta(`${P}_admission_duration_seconds_count`), 5);
    // Every sample line is `name{labels} value` and each family has HELP and TYPE.
    for (const line of t1.trimEnd().split('\n')) assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{\w+="[^"]*"\})? [-+.\deE]+)$/, line);
    for (const family of ['admissions_total', 'patches_total', 'errors_total', 'admission_duration_seconds']) assert.match(t1, new RegExp(`# TYPE ${P}_${family} (counter|histogram)`));
    // Buckets are cumulative and end at the count.
    const buckets = t1.split('\n').filter((l) => l.startsWith(`${P}_admission_duration_seconds_bucket`)).map((l) => Number(l.split(' ')[1]));
    assert.ok(buckets.length >= 10);
    for (let i = 1; i < buckets.length; i++) assert.ok((buckets[i] ?? 0) >= (buckets[i - 1] ?? 0));
    assert.equal(buckets.at(-1), metric(t1, `${P}_admission_duration_seconds_count`));
    assert.match(t1, /_bucket\{le="0.005"\}/);
    assert.match(t1, /_bucket\{le="\+Inf"\}/);
  });

  test('a keep-alive connection serves many reviews', async () => {
    const sock = await rawConnect(s.port, s.tls.caCertificatePem);
    const body = JSON.stringify(pvcReview());
    for (let i = 0; i < 3; i++) {
      const answer = readResponse(sock);
      sock.write(`POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      assert.equal((await answer).status, 200);
    }
    sock.destroy();
  });
});

describe('webhook server: snapshot lookups that fail', () => {
  test('a failing lookup is allowed unchanged and counted as an error', async () => {
    const failing: SnapshotSource = { get: () => Promise.resolve({ ok: false, error: 'volumesnapshots is forbidden' }), ready: () => true, close: () => undefined };
    const s = await startServer({ snapshots: failing });
    try {
      const r = await call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', JSON.stringify(pvcReview()), JSON_HEADERS);
      const review = JSON.parse(r.body) as { response: { allowed: boolean; patch?: string; status: { message: string } } };
      assert.equal(review.response.allowed, true);
      assert.equal(review.response.patch, undefined);
      assert.match(review.response.status.message, /forbidden/);
      const m = (await call(s.port, s.tls.caCertificatePem, 'GET', '/metrics')).body;
      assert.equal(metric(m, `${P}_errors_total{kind="snapshot-lookup"}`), 1);
      assert.equal(metric(m, `${P}_admissions_total{result="failed-open"}`), 1);
      assert.ok(s.log.lines.some((l) => l.event === 'pvc-allowed-unchanged' && l.level === 'warn' && l.reason === 'lookup-failed'));
    } finally {
      await s.close();
    }
  });

  test('a lookup that throws (a bug) is answered 500 and the server keeps serving', async () => {
    let calls = 0;
    const buggy: SnapshotSource = {
      get: () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve({ ok: true, snapshot: snapshot('vms', 'vm-snap', '20Mi') });
      },
      ready: () => true,
      close: () => undefined,
    };
    const s = await startServer({ snapshots: buggy });
    try {
      const body = JSON.stringify(pvcReview());
      assert.equal((await call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', body, JSON_HEADERS)).status, 500);
      assert.equal((await call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', body, JSON_HEADERS)).status, 200);
      await until(() => s.log.lines.some((l) => l.event === 'internal-error'), 'the internal-error log line');
    } finally {
      await s.close();
    }
  });
});

describe('webhook server: shutdown in process', () => {
  test('shutdown waits for an in-flight review, answers it with Connection: close, then refuses connections', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: SnapshotSource = {
      get: async () => {
        await gate;
        return { ok: true, snapshot: snapshot('vms', 'vm-snap', '20Mi') };
      },
      ready: () => true,
      close: () => undefined,
    };
    const s = await startServer({ snapshots: slow });
    const pending = call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', JSON.stringify(pvcReview()), JSON_HEADERS);
    await until(() => s.webhook.inFlight === 1, 'the review to be in flight');
    const stopped = s.webhook.shutdown(5000);
    await assert.rejects(call(s.port, s.tls.caCertificatePem, 'GET', '/healthz'), /ECONNREFUSED/);
    release();
    const r = await pending;
    assert.equal(r.status, 200);
    assert.equal(r.headers.connection, 'close');
    assert.deepEqual(await stopped, { drained: true, abandoned: 0 });
  });

  test('the drain is bounded: a request still open at the deadline is cut off', async () => {
    const never: SnapshotSource = { get: () => new Promise(() => undefined), ready: () => true, close: () => undefined };
    const s = await startServer({ snapshots: never });
    const pending = call(s.port, s.tls.caCertificatePem, 'POST', '/mutate', JSON.stringify(pvcReview()), JSON_HEADERS);
    await until(() => s.webhook.inFlight === 1, 'the review to be in flight');
    assert.deepEqual(await s.webhook.shutdown(100), { drained: false, abandoned: 1 });
    await assert.rejects(pending, /socket hang up|ECONNRESET/);
  });
});
