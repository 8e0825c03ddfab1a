/**
 * KubeVirt's object names. Mirrors naming.GetName (openshift/library-go pkg/build/naming/namer.go, vendored by
 * kubevirt d923fdb) as restoreVolumeName (kubevirt pkg/storage/snapshot/restore.go, d923fdb) calls it with
 * validation.DNS1035LabelMaxLength. Go slices strings by byte, so lengths and cuts are in UTF-8 bytes.
 */

/** `validation.DNS1035LabelMaxLength`. */
export const dns1035LabelMaxLength = 63;

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** FNV-1a, 32 bits (hash/fnv New32a), as 8 lower-case hex digits (`%08x`). */
export function fnv32aHex(s: string): string {
  let h = 0x811c9dc5;
  for (const byte of utf8.encode(s)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** `s[0:n]` on UTF-8 bytes. */
function cut(s: string, n: number): string {
  return text.decode(utf8.encode(s).slice(0, n));
}

const byteLength = (s: string) => utf8.encode(s).length;

/**
 * `base-suffix` when it fits in `maxLength`; otherwise `base[:n]-<fnv32a(base)>-suffix` with the base cut to fit,
 * or, when the suffix alone leaves no room, `base[:maxLength-9]-<fnv32a(base-suffix)>` cut to `maxLength`.
 */
export function getName(base: string, suffix: string, maxLength: number): string {
  if (maxLength <= 0) return '';
  const name = `${base}-${suffix}`;
  if (byteLength(name) <= maxLength) return name;
  const baseLength = maxLength - 10 - byteLength(suffix);
  if (baseLength <= 0) {
    const prefix = cut(base, Math.min(byteLength(base), Math.max(0, maxLength - 9)));
    return cut(`${prefix}-${fnv32aHex(name)}`, maxLength);
  }
  return `${cut(base, baseLength)}-${fnv32aHex(base)}-${suffix}`;
}
