import sharp from 'sharp';
import { it } from 'vitest';
it('probe', async () => {
  const png = await sharp({ create: { width: 20000, height: 10000, channels: 3, background: '#000' } }).png({ compressionLevel: 9 }).toBuffer();
  const before = process.memoryUsage.rss();
  let peak = before;
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
  await sharp(png, { limitInputPixels: false }).resize(100).toBuffer();
  clearInterval(t);
  console.log('PROBE decoded bomb peak growth MB', (peak - before) / 1048576, 'end growth', (process.memoryUsage.rss() - before) / 1048576);
});
