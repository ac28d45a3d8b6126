import type { AnnotationDoc, Shape } from '../../shared/domain/viewer/annotations';
import { lengthLabel } from '../../shared/domain/viewer/annotations';

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function shapeSvg(shape: Shape, doc: AnnotationDoc, stroke: number): string {
  const s = `stroke="${shape.color}" stroke-width="${stroke}" fill="none"`;
  switch (shape.kind) {
    case 'arrow': {
      const { from, to } = shape;
      const angle = Math.atan2(to.y - from.y, to.x - from.x);
      const head = stroke * 5;
      const p = (a: number): string => `${to.x - head * Math.cos(angle + a)},${to.y - head * Math.sin(angle + a)}`;
      return `<line x1="${from.x}" y1="${from.y}" x2="${to.x}" y2="${to.y}" ${s}/><polyline points="${p(0.45)} ${to.x},${to.y} ${p(-0.45)}" ${s}/>`;
    }
    case 'ellipse':
      return `<ellipse cx="${shape.center.x}" cy="${shape.center.y}" rx="${Math.abs(shape.rx)}" ry="${Math.abs(shape.ry)}" ${s}/>`;
    case 'freehand':
      return `<polyline points="${shape.points.map((p) => `${p.x},${p.y}`).join(' ')}" ${s}/>`;
    case 'text':
      return `<text x="${shape.at.x}" y="${shape.at.y}" fill="${shape.color}" font-family="sans-serif" font-size="${stroke * 8}">${xml(shape.text)}</text>`;
    case 'measure':
      return `<line x1="${shape.from.x}" y1="${shape.from.y}" x2="${shape.to.x}" y2="${shape.to.y}" ${s}/><text x="${shape.to.x + stroke * 2}" y="${shape.to.y}" fill="${shape.color}" font-family="sans-serif" font-size="${stroke * 8}">${xml(lengthLabel(shape.from, shape.to, doc.calibration))}</text>`;
  }
}

/**
 * The viewer's annotations as an SVG over the oriented image (annotations are stored in
 * oriented-image pixels: the viewBox is the image's `width` x `height`), drawn at `out` (the
 * image's size by default; smaller for a picture decoded smaller, so the marks scale with it),
 * for compositing onto the letter's key image. Pure; text is escaped so a hostile label cannot
 * break out of the SVG.
 */
export function annotationSvg(
  doc: AnnotationDoc,
  width: number,
  height: number,
  out: { width: number; height: number } = { width, height },
): string {
  const stroke = Math.max(2, Math.round(Math.max(width, height) / 400));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${out.width}" height="${out.height}" viewBox="0 0 ${width} ${height}">${doc.shapes
    .map((shape) => shapeSvg(shape, doc, stroke))
    .join('')}</svg>`;
}
