// Issue 16 item 6: a webhook image named by a mutable tag is warned about in the deploy plan; one pinned by digest is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageReference, mutableImageWarning } from '../../core/ops/webhook/image.js';
import { DEFAULT_WEBHOOK_IMAGE } from '../../core/ops/webhook/manifests.js';

const digest = `sha256:${'ab'.repeat(32)}`;

test('image references: digest, tag, mutability', () => {
  assert.deepEqual(imageReference('ghcr.io/grandeit/pvc-shrink-ray:latest'), { tag: 'latest', mutable: true });
  assert.deepEqual(imageReference('registry:5000/team/webhook'), { mutable: true });
  assert.deepEqual(imageReference('registry:5000/team/webhook:v1.2'), { tag: 'v1.2', mutable: true });
  assert.deepEqual(imageReference(`ghcr.io/me/webhook:v1@${digest}`), { digest, tag: 'v1', mutable: false });
  assert.deepEqual(imageReference(`ghcr.io/me/webhook@${digest}`), { digest, mutable: false });
  assert.equal(imageReference('ghcr.io/me/webhook@sha256:short').mutable, true, 'a malformed digest pins nothing');
});

test('the default image is a mutable tag (no digest of it is known to this project): the warning says so', () => {
  const w = mutableImageWarning(DEFAULT_WEBHOOK_IMAGE);
  assert.match(w ?? '', /^Warning: the image ghcr\.io\/grandeit\/pvc-shrink-ray:latest names the mutable tag :latest, not a digest/);
  assert.match(w ?? '', /Pin it by digest \(ghcr\.io\/grandeit\/pvc-shrink-ray@sha256:…\)/);
  assert.equal(mutableImageWarning(`ghcr.io/me/webhook@${digest}`), undefined);
});
