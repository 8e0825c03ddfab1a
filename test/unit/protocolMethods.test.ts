/**
 * The custom methods on the wire: the typed objects of protocol/ carry exactly the method names clients already
 * send (the move to typed RequestType/NotificationType must not rename one), and the requests without params
 * are the RequestType0s, which the server answers whether a client sends `{}` or no params.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import * as protocol from '../../protocol/index.js';

const expected: Record<string, [method: string, kind: 'request' | 'request0' | 'notification']> = {
  statusNotification: ['kubevirtStorage/status', 'notification'],
  listContextsRequest: ['kubevirtStorage/listContexts', 'request0'],
  useContextRequest: ['kubevirtStorage/useContext', 'request'],
  explorerChildrenRequest: ['kubevirtStorage/explorer/children', 'request'],
  explorerObjectRequest: ['kubevirtStorage/explorer/object', 'request'],
  explorerRestorePvcRequest: ['kubevirtStorage/explorer/restorePvc', 'request'],
  explorerChangedNotification: ['kubevirtStorage/explorer/changed', 'notification'],
  webhookStatusRequest: ['kubevirtStorage/webhook/status', 'request0'],
  approveCredentialPluginRequest: ['kubevirtStorage/approveCredentialPlugin', 'request'],
  // Deploy, uninstall and rotation moved onto the operations requests (issue 8).
  operationsListRequest: ['kubevirtStorage/operations/list', 'request0'],
  operationPlanRequest: ['kubevirtStorage/operations/plan', 'request'],
  operationDryRunRequest: ['kubevirtStorage/operations/dryRun', 'request'],
  operationApplyRequest: ['kubevirtStorage/operations/apply', 'request'],
  operationProgressNotification: ['kubevirtStorage/operations/progress', 'notification'],
  operationUndoPreviewRequest: ['kubevirtStorage/operations/undoPreview', 'request'],
  operationUndoRequest: ['kubevirtStorage/operations/undo', 'request'],
  operationStatusRequest: ['kubevirtStorage/operations/status', 'request'],
  volumeResizeProgressRequest: ['kubevirtStorage/volumeResize/progress', 'request'],
  volumeResizeListRequest: ['kubevirtStorage/volumeResize/list', 'request0'],
  volumeResizeChoicesRequest: ['kubevirtStorage/volumeResize/choices', 'request'],
  volumeResizeInDocumentRequest: ['kubevirtStorage/volumeResize/inDocument', 'request'],
  volumeResizeChangedNotification: ['kubevirtStorage/volumeResize/changed', 'notification'],
  checkWithClusterRequest: ['kubevirtStorage/checkWithCluster', 'request'],
  claimRenderRequest: ['kubevirtStorage/claims/render', 'request'],
  createPvcChoicesRequest: ['kubevirtStorage/claims/createPvcChoices', 'request'],
  gcpImagesDetectRequest: ['kubevirtStorage/gcpImages/detect', 'request'],
};

const kindOf = (v: unknown) =>
  v instanceof RequestType0 ? 'request0' : v instanceof RequestType ? 'request' : v instanceof NotificationType ? 'notification' : undefined;

test('every typed message of protocol/ keeps its method name on the wire', () => {
  const found = Object.fromEntries(
    Object.entries(protocol)
      .filter(([, v]) => kindOf(v) !== undefined)
      .map(([name, v]) => [name, [(v as { method: string }).method, kindOf(v)]]),
  );
  assert.deepEqual(found, expected);
});

test('no two messages share a method', () => {
  const methods = Object.values(expected).map(([m]) => m);
  assert.equal(new Set(methods).size, methods.length);
});

test('the settings section is still kubevirtStorage', () => {
  assert.equal(protocol.configurationSection, 'kubevirtStorage');
});
