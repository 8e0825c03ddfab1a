/**
 * Bytes of a file as the analysis' text, or why they are not text: a file that is binary, not UTF-8 or too large
 * is reported as a `file-unreadable` finding of its own (the CLI) or noted once (the language server's scan)
 * instead of aborting the run or flooding it with yaml-syntax findings. Pure: the adapters read the bytes.
 */

export type DecodedText = { ok: true; text: string } | { ok: false; reason: string };

/** How much of a file is looked at for NUL bytes: binary formats have them early (headers, padding). */
const SNIFF_BYTES = 8192;

/** UTF-8 text, a leading BOM dropped (as editors do); a NUL byte in the first 8 KiB means a binary file. */
export function decodeSourceText(bytes: Uint8Array): DecodedText {
  const sniff = bytes.subarray(0, SNIFF_BYTES);
  if (sniff.includes(0)) return { ok: false, reason: 'a binary file (it holds NUL bytes), not YAML text' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: `not valid UTF-8 text (the first bad byte is at offset ${firstInvalidUtf8(bytes)})` };
  }
}

/** The reason for a file over the size limit. */
export function tooLargeReason(maxBytes: number): string {
  return `larger than ${formatLimit(maxBytes)}, the limit for one file`;
}

function formatLimit(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      // The second byte's range is narrower for E0 (no overlongs), ED (no surrogates), F0 and F4 (U+10000..U+10FFFF).
      const lo = k === 1 && b === 0xe0 ? 0xa0 : k === 1 && b === 0xf0 ? 0x90 : 0x80;
      const hi = k === 1 && b === 0xed ? 0x9f : k === 1 && b === 0xf4 ? 0x8f : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
