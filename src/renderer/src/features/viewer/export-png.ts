import { lengthLabel, type AnnotationDoc, type Point, type Shape } from '../../../../shared/domain/viewer/annotations';
import { api } from '../../api/client';
import { previewKey } from './draw-image-layer';
import { tileLoader } from './tile-loader';
import type { ViewerImage } from './viewer-types';

/**
 * Renders the image (at preview resolution, ≤ 2048 px, enough for a letter) with the marks burnt
 * in, as a PNG blob. Coordinates are oriented-image pixels, scaled to the preview.
 */
export async function renderAnnotatedPng(image: ViewerImage, doc: AnnotationDoc): Promise<Blob> {
  const bitmap = await tileLoader.load(previewKey(image.sha256), api.imageUrl(image.sha256, 'preview'), 'preview');
  if (!bitmap) throw new Error('The image preview could not be loaded for export.');
  const { width, height } = image.meta.preview;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Canvas unavailable');
  ctx.drawImage(bitmap, 0, 0, width, height);
  const k = width / image.meta.width;
  ctx.scale(k, k);
  const line = Math.max(2, 3 / k);
  for (const shape of doc.shapes) drawShape2d(ctx, shape, doc, line);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

function drawShape2d(ctx: CanvasRenderingContext2D, shape: Shape, doc: AnnotationDoc, line: number): void {
  ctx.strokeStyle = shape.color;
  ctx.fillStyle = shape.color;
  ctx.lineWidth = line;
  ctx.font = `${line * 6}px sans-serif`;
  switch (shape.kind) {
    case 'arrow':
      arrow(ctx, shape.from, shape.to, line * 5);
      break;
    case 'measure':
      segment(ctx, shape.from, shape.to);
      label(ctx, lengthLabel(shape.from, shape.to, doc.calibration), mid(shape.from, shape.to), line);
      break;
    case 'ellipse':
      ctx.beginPath();
      ctx.ellipse(shape.center.x, shape.center.y, Math.abs(shape.rx), Math.abs(shape.ry), 0, 0, Math.PI * 2);
      ctx.stroke();
      break;
    case 'freehand':
      ctx.beginPath();
      shape.points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
      ctx.stroke();
      break;
    case 'text':
      label(ctx, shape.text, shape.at, line);
      break;
  }
}

function mid(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

function segment(ctx: CanvasRenderingContext2D, a: Point, b: Point): void {
  ctx.beginPath();
  ctx.moveTo(a.x, a.y);
  ctx.lineTo(b.x, b.y);
  ctx.stroke();
}

function arrow(ctx: CanvasRenderingContext2D, from: Point, to: Point, head: number): void {
  segment(ctx, from, to);
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  ctx.beginPath();
  ctx.moveTo(to.x, to.y);
  ctx.lineTo(to.x - head * Math.cos(angle - 0.4), to.y - head * Math.sin(angle - 0.4));
  ctx.lineTo(to.x - head * Math.cos(angle + 0.4), to.y - head * Math.sin(angle + 0.4));
  ctx.closePath();
  ctx.fill();
}

function label(ctx: CanvasRenderingContext2D, text: string, at: Point, line: number): void {
  const fill = ctx.fillStyle;
  ctx.lineWidth = line * 1.5;
  ctx.strokeStyle = '#000000';
  ctx.strokeText(text, at.x + line * 2, at.y - line * 2);
  ctx.fillStyle = fill;
  ctx.fillText(text, at.x + line * 2, at.y - line * 2);
}

/** Saves a blob as a file through the browser's download (no Node, no Electron in the renderer). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
