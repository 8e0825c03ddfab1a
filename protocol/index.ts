/**
 * The custom protocol between the KubeVirt Storage language server and its clients, one file per family. Every
 * request and notification is a typed `RequestType`/`RequestType0`/`NotificationType`, so that the handler on
 * the server and the call in the client are checked against the same params and result; call sites never
 * spell a method name. This folder imports only the protocol package (and types from core/).
 */
export * from './contexts.js';
export * from './explorer.js';
export * from './gcpImages.js';
export * from './operations.js';
export * from './probe.js';
export * from './status.js';
export * from './volumeResize.js';
export * from './webhook.js';
export * from './claims.js';
export * from './credentials.js';
