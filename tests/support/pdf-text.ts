import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Every page's text of a PDF file, joined with newlines (pdfjs-dist, as a PDF reader sees it). */
export async function pdfText(path: string): Promise<{ text: string; pages: number; images: number }> {
  return pdfTextOf(readFileSync(path));
}

/** The same, of a PDF's bytes (a letter downloaded from the hub, or rendered in a test). */
export async function pdfTextOf(bytes: Uint8Array): Promise<{ text: string; pages: number; images: number }> {
  const fonts = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts/');
  const doc = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: fonts }).promise;
  const parts: string[] = [];
  let images = 0;
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    parts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    const ops = await page.getOperatorList();
    // 85 = OPS.paintImageXObject: count embedded raster images (the key image).
    images += ops.fnArray.filter((fn) => fn === 85).length;
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { text: parts.join('\n').replace(/\s+/g, ' '), pages, images };
}
