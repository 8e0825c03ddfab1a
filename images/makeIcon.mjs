// Draws images/icon.png (128×128 RGBA): three white disk platters stacked on a KubeVirt-blue rounded square.
// Plain zlib and CRC-32, no image library: `node images/makeIcon.mjs`. The PNG is committed; rerun only to change it.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const samples = 4; // supersampling per axis, for anti-aliased edges
const background = [0x00, 0x79, 0xc1];
const foreground = [0xff, 0xff, 0xff];
const accent = [0x00, 0xaa, 0xb2];

/** Coverage colour at a point in 0..128 space: undefined outside the icon. */
function shade(x, y) {
  const r = 22; // corner radius of the rounded square
  const cx = Math.min(Math.max(x, r), size - r);
  const cy = Math.min(Math.max(y, r), size - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return undefined;
  // Three platters: ellipses 80 wide, their sides joined into one cylinder per platter.
  const rx = 40, ry = 11, left = 64 - rx;
  for (const top of [34, 58, 82]) {
    const inTop = ((x - 64) / rx) ** 2 + ((y - top) / ry) ** 2 <= 1;
    const inInnerTop = ((x - 64) / (rx - 5)) ** 2 + ((y - top) / (ry - 3)) ** 2 <= 1;
    if (inTop) return inInnerTop ? accent : foreground;
    const inSide = x >= left && x <= left + 2 * rx && y >= top && y <= top + 12;
    const inBottom = ((x - 64) / rx) ** 2 + ((y - top - 12) / ry) ** 2 <= 1;
    if (inSide || inBottom) return foreground;
  }
  return background;
}

const raw = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) {
  raw[y * (size * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < size; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const c = shade(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples);
        if (!c) continue;
        sum[0] += c[0]; sum[1] += c[1]; sum[2] += c[2]; sum[3] += 255;
      }
    }
    const n = samples * samples;
    const covered = sum[3] / 255 || 1;
    const o = y * (size * 4 + 1) + 1 + x * 4;
    raw[o] = Math.round(sum[0] / covered);
    raw[o + 1] = Math.round(sum[1] / covered);
    raw[o + 2] = Math.round(sum[2] / covered);
    raw[o + 3] = Math.round(sum[3] / n);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('./icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`${out.pathname}: ${png.length} bytes`);
