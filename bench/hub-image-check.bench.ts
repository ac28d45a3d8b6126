/**
 * The upload-time image quality check (src/hub/intake/image-checks.ts: full decode, resolution,
 * Laplacian-variance blur and exposure at 512 px) on phone-sized photographs (12 MP JPEGs made
 * from the shared dermoscopy fixtures), beside sharp's own `stats()` (per-channel statistics and
 * its sharpness estimate over the full-size image) on the same bytes, alternating, same run.
 * Also reports how the two blur measures separate sharp from blurred images.
 *
 *   npm run bench -- hub-image-check
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { imageQuality } from '../src/hub/intake/image-checks';
import { dermoscopyFixtures } from '../tests/support/fixtures';

const ROUNDS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const sharpOnes: Buffer[] = [];
  const blurred: Buffer[] = [];
  for (const f of dermoscopyFixtures()) {
    const big = await sharp(readFileSync(f)).resize(4000, 3000).jpeg({ quality: 90 }).toBuffer();
    sharpOnes.push(big);
    blurred.push(await sharp(big).blur(12).jpeg({ quality: 90 }).toBuffer());
  }
  const all = [...sharpOnes, ...blurred];
  const ours: number[] = [];
  const peer: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const img of all) {
      let t = performance.now();
      await imageQuality(img);
      ours.push(performance.now() - t);
      t = performance.now();
      await sharp(img).stats();
      peer.push(performance.now() - t);
    }
  }
  const verdicts = async (imgs: Buffer[]) =>
    Promise.all(imgs.map(async (i) => (await imageQuality(i)) as { sharpness: number; issues: { issue: string }[] }));
  const sharpV = await verdicts(sharpOnes);
  const blurV = await verdicts(blurred);
  const peerSharp = await Promise.all(sharpOnes.map(async (i) => (await sharp(i).stats()).sharpness));
  const peerBlur = await Promise.all(blurred.map(async (i) => (await sharp(i).stats()).sharpness));
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
  console.log(`image quality check, ${all.length} x 12 MP JPEG, ${ROUNDS} rounds (median per image)`);
  console.log(
    `  DermDesk imageQuality: ${median(ours).toFixed(1)} ms   (p95 ${[...ours].sort((a, b) => a - b)[Math.floor(ours.length * 0.95)]!.toFixed(1)} ms)`,
  );
  console.log(
    `  sharp stats() (peer):  ${median(peer).toFixed(1)} ms   (p95 ${[...peer].sort((a, b) => a - b)[Math.floor(peer.length * 0.95)]!.toFixed(1)} ms)`,
  );
  console.log(
    `  DermDesk blur measure: sharp ${range(sharpV.map((v) => v.sharpness))}, blurred ${range(blurV.map((v) => v.sharpness))}; retake asked for ${blurV.filter((v) => v.issues.some((i) => i.issue === 'blur')).length}/${blurred.length} blurred, ${sharpV.filter((v) => v.issues.length > 0).length}/${sharpOnes.length} sharp`,
  );
  console.log(`  sharp stats().sharpness: sharp ${range(peerSharp)}, blurred ${range(peerBlur)}`);
}

void main();
