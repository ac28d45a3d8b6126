import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';
// pdf.js parses in its own worker, bundled with the app (Vite `?worker`: a file of our origin,
// allowed by the page's `worker-src 'self'`); nothing is fetched from anywhere else.
import PdfWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?worker';

let worker: Worker | null = null;

/** Opens a PDF held in memory with pdf.js, under the page's strict CSP (no eval, no fetches). */
export function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  if (!worker) {
    worker = new PdfWorker();
    GlobalWorkerOptions.workerPort = worker;
  }
  return getDocument({ data: bytes, isEvalSupported: false, enableXfa: false, stopAtErrors: true }).promise;
}

/** Draws one page onto a canvas at `scale` CSS pixels per PDF point (sharp on high-DPI screens). */
export async function drawPage(doc: PDFDocumentProxy, pageNumber: number, canvas: HTMLCanvasElement, scale: number) {
  const page = await doc.getPage(pageNumber);
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: scale * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
  canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
  await page.render({ canvas, viewport }).promise;
  const text = await page.getTextContent();
  return text.items.map((item) => ('str' in item ? item.str : '')).join(' ');
}

/** Base64 (as the core sends the PDF) to bytes. */
export function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
