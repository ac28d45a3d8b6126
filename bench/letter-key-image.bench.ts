/**
 * The outcome letter's key image from a 48 MP photograph (8000 x 6000 JPEG made from a shared
 * dermoscopy fixture) with the consultant's marks: DermDesk's `keyImage` (decoded at the letter's
 * 900 px by sharp's shrink-on-load, marks scaled by the SVG viewBox: common/images/burn-in.ts
 * burnInAnnotationsFitted) beside the path it replaced (full-size decode, marks burnt in at full
 * size, PNG, then scaled to 900 px: burnInAnnotations + resize), which the annotated-image export
 * still uses. Each side runs in a fresh child process, alternating, so its peak RSS is its own.
 * The hub now renders a letter once per decision; this is the cost of that one rendering.
 *
 *   npm run bench -- letter-key-image
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { burnInAnnotations } from '../src/common/images/burn-in';
import { keyImage } from '../src/common/letters/key-image';
import { emptyDoc, type AnnotationDoc } from '../src/shared/domain/viewer/annotations';
import { dermoscopyFixtures } from '../tests/support/fixtures';

const ROUNDS = 3;
const marks: AnnotationDoc = {
  ...emptyDoc(),
  shapes: [
    { id: 'e', kind: 'ellipse', color: '#ffd400', center: { x: 4000, y: 3000 }, rx: 900, ry: 700 },
    { id: 't', kind: 'text', color: '#ffffff', at: { x: 300, y: 400 }, text: 'biopsy here' },
  ],
};
const record = {
  images: [
    {
      id: '7d8c5f0e-2a8b-4c1d-9e6f-1a2b3c4d5e61',
      sha256: '1'.repeat(64),
      bytes: 1,
      mediaType: 'image/jpeg' as const,
      width: 8000,
      height: 6000,
      kind: 'close-up' as const,
    },
  ],
};

async function photograph(): Promise<Buffer> {
  const fixture = readFileSync(dermoscopyFixtures()[0]!);
  return sharp(fixture).resize(8000, 6000).jpeg({ quality: 90 }).toBuffer();
}

/** One side, in this (child) process, on the photograph at `path`: prints "<ms> <growth MiB> <peak MiB>". */
async function child(side: 'ours' | 'peer', path: string): Promise<void> {
  const bytes = readFileSync(path);
  sharp.cache(false);
  const before = process.resourceUsage().maxRSS;
  const t = performance.now();
  if (side === 'ours') {
    await keyImage(record, { marksOf: () => marks, original: async () => bytes });
  } else {
    const { png } = await burnInAnnotations(bytes, marks);
    await sharp(png)
      .resize({ width: 900, height: 900, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer();
  }
  const ms = performance.now() - t;
  const peak = process.resourceUsage().maxRSS;
  // maxRSS is in KiB; the growth over the process's peak before the work (photograph read) is the work's.
  console.log(`${ms.toFixed(0)} ${((peak - before) / 1024).toFixed(0)} ${(peak / 1024).toFixed(0)}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const side = process.argv[2];
  if (side === 'ours' || side === 'peer') return child(side, process.argv[3]!);
  const dir = mkdtempSync(join(tmpdir(), 'dermdesk-bench-'));
  const path = join(dir, 'photo.jpg');
  writeFileSync(path, await photograph());
  const runs: Record<'ours' | 'peer', number[][]> = { ours: [], peer: [] };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of ['ours', 'peer'] as const) {
        const args = [...process.execArgv, process.argv[1]!, s, path];
        const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
        runs[s].push(out.trim().split(/\s+/).map(Number));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const line = (label: string, xs: number[][]) =>
    `  ${label} ${median(xs.map((x) => x[0]!))} ms, +${median(xs.map((x) => x[1]!))} MiB peak RSS (process peak ${median(xs.map((x) => x[2]!))} MiB)`;
  console.log(`letter key image from a 48 MP JPEG with marks, ${ROUNDS} rounds each, fresh process per run (median)`);
  console.log(line('DermDesk keyImage (shrink-on-load):   ', runs.ours));
  console.log(line('full-size decode + burn-in (peer/old):', runs.peer));
}

void main();
