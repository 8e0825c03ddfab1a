/**
 * The self-signed TLS mode's material: an ECDSA P-256 CA and a serving certificate it signs, made with
 * @peculiar/x509. WebCrypto and the clock come in as arguments (`globalThis.crypto` in Node 20 and in
 * browsers), so this stays free of node:* imports; pass a fixed `now` to make validity periods testable.
 * Kept out of `webhookPlan.ts` so that bundles which only plan do not carry an X.509 library.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { SelfSignedMaterial } from './manifests.js';

export type WebCrypto = typeof globalThis.crypto;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
/** Back-dated so that a verifier whose clock is a little behind still accepts a fresh certificate. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface SelfSignedOptions {
  /** The serving certificate's DNS names: `WebhookPlan.dnsNames` (the API server dials `<svc>.<ns>.svc`). */
  dnsNames: string[];
  now: Date;
  crypto: WebCrypto;
  /** Default "kubevirt-storage-tools restore-size webhook CA". */
  caCommonName?: string;
  /** Default 3650 (ten years). */
  caValidityDays?: number;
  /** Default 365. */
  servingValidityDays?: number;
  /** Sign with this CA instead of making a new one, so that `caBundle` stays valid across a rotation. */
  ca?: { certificatePem: string; privateKeyPem: string };
}

export interface GeneratedTls extends SelfSignedMaterial {
  /** Keep it to rotate the serving certificate under the same CA; never put it in the cluster. */
  caPrivateKeyPem: string;
  serialNumber: string;
  notAfter: Date;
  caNotAfter: Date;
}

/** A CA (new, or `options.ca`) and a serving certificate for `options.dnsNames`. */
export async function generateSelfSignedTls(options: SelfSignedOptions): Promise<GeneratedTls> {
  const { crypto, now } = options;
  if (options.dnsNames.length === 0) throw new Error('generateSelfSignedTls: no DNS names');
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const ca = options.ca ? await importCa(options.ca, crypto) : await createCa(options, notBefore);
  const keys = await generateKeys(crypto);
  const notAfter = new Date(now.getTime() + (options.servingValidityDays ?? 365) * DAY_MS);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(crypto),
      subject: `CN=${options.dnsNames.find((n) => n.endsWith('.svc')) ?? options.dnsNames[0] ?? ''}`,
      issuer: ca.cert.subject,
      publicKey: keys.publicKey,
      signingKey: ca.privateKey,
      signingAlgorithm: ALGORITHM,
      notBefore,
      notAfter,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(options.dnsNames.map((value) => ({ type: 'dns' as const, value }))),
        await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false, crypto),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return {
    caCertificatePem: ca.cert.toString('pem'),
    caPrivateKeyPem: ca.privateKeyPem,
    certificatePem: cert.toString('pem'),
    privateKeyPem: await exportKey(keys.privateKey, crypto),
    serialNumber: cert.serialNumber,
    notAfter: cert.notAfter,
    caNotAfter: ca.cert.notAfter,
  };
}

export type CertificateInfo =
  | { ok: true; subject: string; issuer: string; serialNumber: string; notBefore: Date; notAfter: Date; dnsNames: string[]; isCa: boolean }
  | { ok: false; error: string };

/** What a PEM certificate says (the first one in the text): for status views and rotation decisions. */
export function describeCertificate(pem: string): CertificateInfo {
  try {
    const cert = new x509.X509Certificate(pem);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    const basic = cert.getExtension(x509.BasicConstraintsExtension);
    return {
      ok: true,
      subject: cert.subject,
      issuer: cert.issuer,
      serialNumber: cert.serialNumber,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      dnsNames: san ? san.names.items.filter((n) => n.type === 'dns').map((n) => n.value) : [],
      isCa: basic?.ca ?? false,
    };
  } catch (e) {
    return { ok: false, error: `not a PEM certificate: ${e instanceof Error ? e.message : String(e)}` };
  }
}

interface Ca {
  cert: x509.X509Certificate;
  privateKey: CryptoKeyOf;
  privateKeyPem: string;
}

type KeyPair = x509.X509CertificateCreateSelfSignedParams['keys'];
type CryptoKeyOf = KeyPair['privateKey'];

async function createCa(options: SelfSignedOptions, notBefore: Date): Promise<Ca> {
  const { crypto, now } = options;
  const keys = await generateKeys(crypto);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(crypto),
      name: `CN=${options.caCommonName ?? 'kubevirt-storage-tools restore-size webhook CA'}`,
      keys,
      signingAlgorithm: ALGORITHM,
      notBefore,
      notAfter: new Date(now.getTime() + (options.caValidityDays ?? 3650) * DAY_MS),
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { cert, privateKey: keys.privateKey, privateKeyPem: await exportKey(keys.privateKey, crypto) };
}

async function importCa(ca: { certificatePem: string; privateKeyPem: string }, crypto: WebCrypto): Promise<Ca> {
  const cert = new x509.X509Certificate(ca.certificatePem);
  const der = x509.PemConverter.decodeFirst(ca.privateKeyPem);
  const privateKey = (await crypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign'])) as unknown as CryptoKeyOf;
  return { cert, privateKey, privateKeyPem: ca.privateKeyPem };
}

async function generateKeys(crypto: WebCrypto): Promise<KeyPair> {
  return (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as unknown as KeyPair;
}

async function exportKey(key: CryptoKeyOf, crypto: WebCrypto): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key as unknown as Parameters<WebCrypto['subtle']['exportKey']>[1]);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** 128 random bits as a positive DER integer (RFC 5280 allows up to 20 octets). */
function serialNumber(crypto: WebCrypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40; // positive, and no leading zero octet to strip
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
