// Draws the extension's icon (images/icon.png, 128×128) from code: a rounded square with a shield
// and a pair of JSON braces — drawn for this project, no third-party marks. Each pixel's coverage
// comes from signed distances (anti-aliased), and the PNG is encoded here with node:zlib.
//   npx tsx scripts/icon.ts          writes images/icon.png (a test checks it is current)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';

export const SIZE = 128;
export const ICON_FILE = path.resolve(__dirname, '..', 'images', 'icon.png');

type Rgb = [number, number, number];
const BACKGROUND_TOP: Rgb = [18, 94, 120];
const BACKGROUND_BOTTOM: Rgb = [9, 52, 74];
const SHIELD: Rgb = [240, 248, 250];
const BRACES: Rgb = [18, 94, 120];

/** Signed distance to a rounded box centred at (cx, cy) with half sizes (hx, hy) and corner radius r. */
function roundedBox(x: number, y: number, cx: number, cy: number, hx: number, hy: number, r: number): number {
  const qx = Math.abs(x - cx) - hx + r;
  const qy = Math.abs(y - cy) - hy + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** The shield: a box on top, a rounded point below (intersection of two discs), unioned. */
function shield(x: number, y: number): number {
  const top = roundedBox(x, y, 64, 46, 30, 16, 6);
  const left = Math.hypot(x - 94, y - 50) - 58;
  const right = Math.hypot(x - 34, y - 50) - 58;
  const point = Math.max(left, right, -(y - 46));
  return Math.min(top, point);
}

/** One brace `{` (mirror for `}`), as a thick polyline, centred on x = cx. */
function brace(x: number, y: number, cx: number, mirror: boolean): number {
  const dx = mirror ? cx - x : x - cx;
  const pts: [number, number][] = [
    [6, 34],
    [0, 38],
    [0, 54],
    [-6, 58],
    [0, 62],
    [0, 78],
    [6, 82],
  ];
  let d = Infinity;
  for (let i = 0; i < pts.length - 1; i++) {
    const [ax, ay] = pts[i];
    const [bx, by] = pts[i + 1];
    const t = Math.max(
      0,
      Math.min(1, ((dx - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    );
    d = Math.min(d, Math.hypot(dx - ax - t * (bx - ax), y - ay - t * (by - ay)));
  }
  return d - 3.2;
}

const coverage = (distance: number): number => Math.max(0, Math.min(1, 0.5 - distance));
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * t) as Rgb;

/** RGBA pixels, row by row. */
export function drawIcon(): Buffer {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      const [x, y] = [px + 0.5, py + 0.5];
      let color = mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, py / SIZE);
      color = mix(color, SHIELD, coverage(shield(x, y)));
      color = mix(color, BRACES, coverage(Math.min(brace(x, y, 52, false), brace(x, y, 76, true))));
      const alpha = coverage(roundedBox(x, y, 64, 64, 62, 62, 22));
      pixels.set([...color.map(Math.round), Math.round(alpha * 255)], (py * SIZE + px) * 4);
    }
  }
  return pixels;
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG (8-bit RGBA, no interlace) of the pixels. */
export function encodePng(rgba: Buffer, width = SIZE, height = SIZE): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4); // filter 0 per row
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(ICON_FILE), { recursive: true });
  fs.writeFileSync(ICON_FILE, encodePng(drawIcon()));
  console.log(`${path.relative(process.cwd(), ICON_FILE)}: ${SIZE}×${SIZE}, ${fs.statSync(ICON_FILE).size} bytes`);
}
