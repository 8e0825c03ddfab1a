/**
 * Whether a container image reference is pinned: `repo@sha256:<64 hex>` names exactly one image; a tag (`:latest`,
 * `:v1.2`, or none, which means `:latest`) names whatever is pushed under it next. The webhook's image gets
 * cluster-wide read access to VolumeSnapshots and may answer any patch to PVC creates, so a mutable reference is
 * worth a warning wherever it is planned.
 */

export interface ImageReference {
  /** `sha256:<hex>` when the reference carries a digest. */
  digest?: string;
  /** The tag, when one is written (`latest` is implied by none). */
  tag?: string;
  /** No digest: the registry decides what runs. */
  mutable: boolean;
}

const DIGEST = /@(sha256:[0-9a-f]{64})$/;

export function imageReference(image: string): ImageReference {
  const digest = DIGEST.exec(image)?.[1];
  const name = image.replace(/@.*$/, '');
  const last = name.split('/').pop() ?? '';
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : undefined;
  return { ...(digest ? { digest } : {}), ...(tag !== undefined ? { tag } : {}), mutable: digest === undefined };
}

/** The warning for a mutable reference (undefined when it is pinned by digest). */
export function mutableImageWarning(image: string): string | undefined {
  const ref = imageReference(image);
  if (!ref.mutable) return undefined;
  const what = ref.tag === undefined ? 'has no tag (so :latest) and no digest' : `names the mutable tag :${ref.tag}, not a digest`;
  return `Warning: the image ${image} ${what}: the cluster runs whatever is pushed under that name next, with read access to every VolumeSnapshot and the power to patch every restore PVC. Pin it by digest (${image.replace(/@.*$/, '').replace(/:[^/:]*$/, '')}@sha256:…) in kubevirtStorage.webhook.image or --image.`;
}
