/**
 * Draws the Ringfence icon (a gold ring with a gap, on a dark rounded square) at every size the stores need and
 * writes public/icon/<size>.png. No image tooling needed: 4x4 supersampling and a minimal PNG encoder.
 * Run: npx tsx scripts/make-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 96, 128];
const BG = [24, 26, 32];
const GOLD = [240, 185, 11];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Colour at a point of the unit square [0,1]^2, or null for transparent. */
function shade(x: number, y: number): number[] | null {
  const r = 0.2; // corner radius of the background square
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  if (Math.hypot(qx, qy) > r) return null;
  const d = Math.hypot(x - 0.5, y - 0.5);
  const angle = Math.atan2(y - 0.5, x - 0.5); // 0 = east, +pi/2 = south
  const inRing = d > 0.25 && d < 0.37;
  // A gap at the top right: the "fence" is open where you step in.
  const gap = angle < -Math.PI / 4 && angle > -Math.PI / 2.6;
  if (inRing && !gap) return GOLD;
  if (d < 0.1) return GOLD;
  return BG;
}

mkdirSync('public/icon', { recursive: true });
for (const size of SIZES) {
  const S = 4;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = shade((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size);
          if (!c) continue;
          acc[0]! += c[0]!;
          acc[1]! += c[1]!;
          acc[2]! += c[2]!;
          acc[3]! += 255;
        }
      }
      const n = acc[3]! / 255;
      const i = (py * size + px) * 4;
      if (n > 0) {
        rgba[i] = Math.round(acc[0]! / n);
        rgba[i + 1] = Math.round(acc[1]! / n);
        rgba[i + 2] = Math.round(acc[2]! / n);
      }
      rgba[i + 3] = Math.round(acc[3]! / (S * S));
    }
  }
  writeFileSync(`public/icon/${size}.png`, png(size, rgba));
}
console.log(`wrote public/icon/{${SIZES.join(',')}}.png`);
