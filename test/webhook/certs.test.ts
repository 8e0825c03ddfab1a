// Certificate reload: the files change (plainly, or the way a Kubernetes Secret volume swaps its `..data`
// symlink), and a new TLS connection is served the new certificate; an invalid new pair is refused, logged,
// and the previous certificate stays in use.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedTls } from '../../core/ops/webhook/selfSigned.js';
import { CertificateReloader, checkPair, loadPair, type TlsPair } from '../../webhook/certs.js';
import { makeTls, rawConnect, servedSerial, startServer, until, type Running } from './helpers.js';

const hex = (serial: string) => serial.toUpperCase();

function wire(s: Running, certPath: string, keyPath: string, current: TlsPair) {
  const events: { reloaded: string[]; invalid: string[] } = { reloaded: [], invalid: [] };
  const reloader = new CertificateReloader({
    certPath,
    keyPath,
    current,
    debounceMs: 50,
    onReload: (pair) => {
      s.webhook.setCertificate(pair);
      events.reloaded.push(pair.serialNumber);
    },
    onInvalid: (error) => events.invalid.push(error),
  });
  return { reloader, events };
}

describe('certificate pairs', () => {
  let a: GeneratedTls;
  let b: GeneratedTls;
  before(async () => {
    a = await makeTls();
    b = await makeTls(a);
  });

  test('checkPair accepts a matching pair and reports serial and expiry', () => {
    const r = checkPair(a.certificatePem, a.privateKeyPem);
    assert.ok(r.ok);
    assert.equal(r.pair.serialNumber, hex(a.serialNumber));
    assert.equal(r.pair.notAfter.getTime(), Math.floor(a.notAfter.getTime() / 1000) * 1000);
  });

  test('checkPair refuses a key of another certificate, garbage, and empty files', () => {
    const mismatched = checkPair(a.certificatePem, b.privateKeyPem);
    assert.equal(mismatched.ok, false);
    assert.match(!mismatched.ok ? mismatched.error : '', /does not belong/);
    assert.equal(checkPair('garbage', a.privateKeyPem).ok, false);
    assert.equal(checkPair(a.certificatePem, 'garbage').ok, false);
    assert.equal(checkPair('', '').ok, false);
  });

  test('loadPair reports missing files', () => {
    const r = loadPair('/nonexistent/tls.crt', '/nonexistent/tls.key');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /cannot read/);
  });
});

describe('certificate reload', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kvs-webhook-certs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('plain files rewritten: new connections see the new serial; an invalid pair keeps the old one', async () => {
    const first = await makeTls();
    const second = await makeTls(first); // same CA, so one trust anchor verifies both
    const certPath = join(dir, 'plain.crt');
    const keyPath = join(dir, 'plain.key');
    writeFileSync(certPath, first.certificatePem);
    writeFileSync(keyPath, first.privateKeyPem);
    const s = await startServer({ tls: first });
    const loaded = loadPair(certPath, keyPath);
    assert.ok(loaded.ok);
    const { reloader, events } = wire(s, certPath, keyPath, loaded.pair);
    try {
      const ca = first.caCertificatePem;
      assert.equal(await servedSerial(s.port, ca), hex(first.serialNumber));

      writeFileSync(certPath, second.certificatePem);
      writeFileSync(keyPath, second.privateKeyPem);
      await until(async () => (await servedSerial(s.port, ca)) === hex(second.serialNumber), 'the new certificate to be served');
      assert.deepEqual(events.reloaded, [hex(second.serialNumber)]);

      // A certificate with the wrong key: refused, reported, the second certificate still served.
      const third = await makeTls(first);
      writeFileSync(certPath, third.certificatePem);
      await until(() => events.invalid.length > 0, 'the invalid pair to be reported');
      assert.match(events.invalid[0] ?? '', /does not belong/);
      assert.equal(await servedSerial(s.port, ca), hex(second.serialNumber));

      // Its key arrives: the pair is valid again and is taken.
      writeFileSync(keyPath, third.privateKeyPem);
      await until(async () => (await servedSerial(s.port, ca)) === hex(third.serialNumber), 'the third certificate to be served');
    } finally {
      reloader.close();
      await s.close();
    }
  });

  test('a Kubernetes Secret volume update (..data symlink swap) is picked up', async () => {
    // The kubelet's AtomicWriter layout: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/
    const vol = join(dir, 'secret-volume');
    mkdirSync(vol);
    const version = (name: string, tls: GeneratedTls) => {
      mkdirSync(join(vol, name));
      writeFileSync(join(vol, name, 'tls.crt'), tls.certificatePem);
      writeFileSync(join(vol, name, 'tls.key'), tls.privateKeyPem);
    };
    const first = await makeTls();
    const second = await makeTls(first);
    version('..2026_01_01_00_00_00.1', first);
    symlinkSync('..2026_01_01_00_00_00.1', join(vol, '..data'));
    symlinkSync('..data/tls.crt', join(vol, 'tls.crt'));
    symlinkSync('..data/tls.key', join(vol, 'tls.key'));
    const certPath = join(vol, 'tls.crt');
    const keyPath = join(vol, 'tls.key');

    const s = await startServer({ tls: first });
    const loaded = loadPair(certPath, keyPath);
    assert.ok(loaded.ok);
    const { reloader, events } = wire(s, certPath, keyPath, loaded.pair);
    try {
      const ca = first.caCertificatePem;
      assert.equal(await servedSerial(s.port, ca), hex(first.serialNumber));
      // New version directory, a temporary symlink, renamed over ..data (atomic), old directory removed.
      version('..2026_02_01_00_00_00.2', second);
      symlinkSync('..2026_02_01_00_00_00.2', join(vol, '..data_tmp'));
      renameSync(join(vol, '..data_tmp'), join(vol, '..data'));
      rmSync(join(vol, '..2026_01_01_00_00_00.1'), { recursive: true });
      await until(async () => (await servedSerial(s.port, ca)) === hex(second.serialNumber), 'the rotated certificate to be served');
      assert.deepEqual(events.reloaded, [hex(second.serialNumber)]);
      assert.deepEqual(events.invalid, []);
    } finally {
      reloader.close();
      await s.close();
    }
  });

  test('an established connection keeps its certificate; only new handshakes get the new one', async () => {
    const first = await makeTls();
    const second = await makeTls(first);
    const s = await startServer({ tls: first });
    try {
      const old = await rawConnect(s.port, first.caCertificatePem);
      s.webhook.setCertificate({ cert: second.certificatePem, key: second.privateKeyPem });
      assert.equal(old.getPeerCertificate().serialNumber, hex(first.serialNumber));
      assert.equal(await servedSerial(s.port, first.caCertificatePem), hex(second.serialNumber));
      old.destroy();
    } finally {
      await s.close();
    }
  });
});
