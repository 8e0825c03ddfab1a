/**
 * The TLS part of the webhook plan, one function per mode: who makes the serving certificate, and how the
 * API server learns the CA (the MutatingWebhookConfiguration's `caBundle`).
 */
import { ANNOTATION } from '../../kinds/index.js';
import type { ImageKind, KubeObject, SelfSignedMaterial, TlsMode } from './manifests.js';

export interface TlsContext {
  name: string;
  namespace: string;
  tlsMode: TlsMode;
  tlsSecretName: string;
  serviceName: string;
  dnsNames: string[];
  selfSigned?: SelfSignedMaterial;
  meta: (name: string, namespaced: boolean, annotations?: Record<string, string>) => KubeObject['metadata'];
}

export interface TlsPart {
  /** Applied after RBAC and before the Service. */
  objects: KubeObject[];
  serviceAnnotations?: Record<string, string>;
  webhookAnnotations?: Record<string, string>;
  /** Base64 PEM of the CA, set on the webhook's clientConfig (self-signed mode). */
  caBundle?: string;
  /** Pod template annotations: a changed certificate must restart images that read it only at start. */
  podAnnotations: (imageKind: ImageKind) => Record<string, string>;
  notes: string[];
}

/** On the pod template in self-signed mode with the pvc-shrink-ray image: rotation rolls the pods. */
export const CERTIFICATE_HASH_ANNOTATION = 'kubevirt-storage-tools.io/serving-certificate-hash';

export function tlsObjects(c: TlsContext): TlsPart {
  switch (c.tlsMode) {
    case 'openshift-service-ca':
      return serviceCa(c);
    case 'cert-manager':
      return certManager(c);
    case 'self-signed':
      return selfSigned(c);
  }
}

/** OpenShift's service-ca operator writes the Secret named on the Service and injects its CA into the MWC. */
function serviceCa(c: TlsContext): TlsPart {
  return {
    objects: [],
    serviceAnnotations: { [ANNOTATION.serviceCaServingCertSecretName]: c.tlsSecretName },
    webhookAnnotations: { [ANNOTATION.serviceCaInjectCabundle]: 'true' },
    podAnnotations: () => ({}),
    notes: [`OpenShift's service-ca operator creates the Secret ${c.tlsSecretName} and injects its CA into the webhook configuration; it owns both and rotates them.`],
  };
}

/**
 * cert-manager: a self-signed Issuer makes a CA Certificate, a CA Issuer signs the serving Certificate, and
 * the cainjector copies the CA into the MWC. The Secrets cert-manager writes carry our labels
 * (`secretTemplate`), so uninstall finds them although cert-manager, not the deploy, creates them.
 */
function certManager(c: TlsContext): TlsPart {
  const selfSignedIssuer = `${c.name}-selfsigned`;
  const caName = `${c.name}-ca`;
  const servingName = `${c.name}-serving`;
  const labels = c.meta(c.name, true).labels;
  const issuerRef = (name: string) => ({ name, kind: 'Issuer', group: 'cert-manager.io' });
  const objects: KubeObject[] = [
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: c.meta(selfSignedIssuer, true), spec: { selfSigned: {} } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: c.meta(caName, true),
      spec: {
        isCA: true,
        commonName: `${c.name} webhook CA`,
        secretName: caName,
        secretTemplate: { labels },
        duration: '87600h', // 10 years; the serving certificate is what rotates
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        issuerRef: issuerRef(selfSignedIssuer),
      },
    },
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: c.meta(caName, true), spec: { ca: { secretName: caName } } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: c.meta(servingName, true),
      spec: {
        secretName: c.tlsSecretName,
        secretTemplate: { labels },
        commonName: c.dnsNames[2],
        dnsNames: c.dnsNames,
        usages: ['server auth', 'digital signature', 'key encipherment'],
        duration: '2160h', // 90 days
        renewBefore: '360h', // 15 days
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        issuerRef: issuerRef(caName),
      },
    },
  ];
  return {
    objects,
    webhookAnnotations: { [ANNOTATION.certManagerInjectCaFrom]: `${c.namespace}/${servingName}` },
    podAnnotations: () => ({}),
    notes: [
      `cert-manager issues the serving certificate into the Secret ${c.tlsSecretName} (renewed 15 days before it expires, every 90 days) and its cainjector sets the webhook's caBundle.`,
    ],
  };
}

/** Certificates made by the extension: a `kubernetes.io/tls` Secret and the CA in `caBundle`. */
function selfSigned(c: TlsContext): TlsPart {
  const m = c.selfSigned;
  if (!m) throw new Error('self-signed material missing after validation'); // planWebhook validates first
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: c.meta(c.tlsSecretName, true),
    type: 'kubernetes.io/tls',
    // `data`, not `stringData`: stringData is write-only and fights server-side apply's field ownership.
    data: { 'tls.crt': base64(m.certificatePem), 'tls.key': base64(m.privateKeyPem), 'ca.crt': base64(m.caCertificatePem) },
  };
  return {
    objects: [secret],
    caBundle: base64(m.caCertificatePem),
    podAnnotations: (imageKind): Record<string, string> => (imageKind === 'pvc-shrink-ray' ? { [CERTIFICATE_HASH_ANNOTATION]: fnv1a(m.certificatePem) } : {}),
    notes: [
      `The extension generated a CA and a serving certificate for ${c.dnsNames[2]}; they are stored in the Secret ${c.tlsSecretName} and the CA in the webhook's caBundle. Nothing renews them: rotate them before they expire.`,
    ],
  };
}

/** Base64 of a string's UTF-8 bytes (what a Secret's `data` and `caBundle` hold). */
export function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** 32-bit FNV-1a as 8 hex digits: a stable fingerprint for an annotation, not a security measure. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
