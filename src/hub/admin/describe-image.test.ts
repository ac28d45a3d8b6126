import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dermoscopyFixtures, exifOrientationFixtures } from '../../../tests/support/fixtures';
import { describeImage } from './describe-image';

describe('describeImage (referral intake)', () => {
  it('describes real JPEGs from their bytes, with EXIF orientation applied to the size', async () => {
    const bytes = readFileSync(dermoscopyFixtures()[0]!);
    expect(await describeImage(bytes)).toEqual({ mediaType: 'image/jpeg', width: 600, height: 450 });
    const upright = exifOrientationFixtures().find((f) => f.shape === 'Landscape' && f.orientation === 1)!;
    const sideways = exifOrientationFixtures().find((f) => f.shape === 'Landscape' && f.orientation === 6)!;
    const a = await describeImage(readFileSync(upright.file));
    const b = await describeImage(readFileSync(sideways.file));
    expect([b.width, b.height]).toEqual([a.width, a.height]);
  });

  it('refuses hostile input with an error: truncated, zero bytes, SVG/HTML renamed, GIF, pixel bomb', async () => {
    const jpeg = readFileSync(dermoscopyFixtures()[0]!);
    const bomb = pngBomb(20_000, 10_000);
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
      .gif()
      .toBuffer();
    const hostile: [string, Buffer, RegExp][] = [
      ['zero bytes', Buffer.alloc(0), /Not a readable/],
      ['truncated jpeg', jpeg.subarray(0, 200), /Not a readable/],
      [
        'svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'),
        /unsupported image format: svg/,
      ],
      ['html', Buffer.from('<!doctype html><script>alert(1)</script>'), /Not a readable/],
      ['gif', gif, /unsupported image format: gif/],
      ['200 MP png bomb', bomb, /larger than 100 megapixels/],
    ];
    for (const [name, bytes, message] of hostile) {
      await expect(describeImage(bytes), name).rejects.toThrow(message);
    }
  });
});

/** A tiny PNG that claims 200 MP (a decompression bomb): a real IHDR and one compressed row. */
function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (grey)
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
