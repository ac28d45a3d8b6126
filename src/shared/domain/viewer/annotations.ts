import { z } from 'zod';

/**
 * Annotations are vector shapes in ORIENTED-image pixel coordinates (EXIF applied, before any
 * viewer rotation), so they stay on the lesion whatever zoom, pan or rotation the viewer shows
 * and whichever screen draws them. The document is versioned JSON; `schemaVersion` lets later
 * code migrate stored documents instead of misreading them.
 */
const coord = z.number().finite().min(-1e6).max(1e6);
export const pointSchema = z.object({ x: coord, y: coord });
export type Point = z.infer<typeof pointSchema>;

const base = {
  id: z.string().min(1).max(64),
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i)
    .default('#ffd400'),
};

export const shapeSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('arrow'), from: pointSchema, to: pointSchema }),
  z.object({ ...base, kind: z.literal('ellipse'), center: pointSchema, rx: coord, ry: coord }),
  z.object({ ...base, kind: z.literal('freehand'), points: z.array(pointSchema).min(2).max(5000) }),
  z.object({ ...base, kind: z.literal('text'), at: pointSchema, text: z.string().min(1).max(500) }),
  z.object({ ...base, kind: z.literal('measure'), from: pointSchema, to: pointSchema }),
]);
export type Shape = z.infer<typeof shapeSchema>;
export type ShapeKind = Shape['kind'];

/** A reference of known length drawn on the image (e.g. along a ruler in the photo). */
export const calibrationSchema = z.object({
  from: pointSchema,
  to: pointSchema,
  millimetres: z.number().positive().max(10_000),
});
export type Calibration = z.infer<typeof calibrationSchema>;

export const ANNOTATION_SCHEMA_VERSION = 1;

export const annotationDocSchema = z.object({
  schemaVersion: z.literal(ANNOTATION_SCHEMA_VERSION),
  shapes: z.array(shapeSchema).max(500),
  calibration: calibrationSchema.nullable(),
});
export type AnnotationDoc = z.infer<typeof annotationDocSchema>;

export function emptyDoc(): AnnotationDoc {
  return { schemaVersion: ANNOTATION_SCHEMA_VERSION, shapes: [], calibration: null };
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

/** Millimetres per oriented-image pixel, or null when uncalibrated (or the reference is degenerate). */
export function mmPerPixel(calibration: Calibration | null): number | null {
  if (!calibration) return null;
  const px = distance(calibration.from, calibration.to);
  return px >= 1 ? calibration.millimetres / px : null;
}

/**
 * The label for a measured length: mm only when calibrated, otherwise px, never a guess. The
 * unit is part of the string so a length can never be shown without it.
 */
export function lengthLabel(from: Point, to: Point, calibration: Calibration | null): string {
  const px = distance(from, to);
  const scale = mmPerPixel(calibration);
  if (scale === null) return `${Math.round(px)} px`;
  const mm = px * scale;
  return `${mm < 10 ? mm.toFixed(1) : Math.round(mm).toString()} mm`;
}

/** Moves a shape by (dx, dy) image pixels (a drag). */
export function translateShape(shape: Shape, dx: number, dy: number): Shape {
  const m = (p: Point): Point => ({ x: p.x + dx, y: p.y + dy });
  switch (shape.kind) {
    case 'arrow':
    case 'measure':
      return { ...shape, from: m(shape.from), to: m(shape.to) };
    case 'ellipse':
      return { ...shape, center: m(shape.center) };
    case 'freehand':
      return { ...shape, points: shape.points.map(m) };
    case 'text':
      return { ...shape, at: m(shape.at) };
  }
}

/**
 * Undo/redo history over whole documents. Each committed edit (one add, one completed drag,
 * one delete) is one step: a drag is previewed outside the history and committed once on release.
 */
export interface History {
  past: AnnotationDoc[];
  present: AnnotationDoc;
  future: AnnotationDoc[];
}

const HISTORY_LIMIT = 200;

export function historyOf(doc: AnnotationDoc): History {
  return { past: [], present: doc, future: [] };
}

export function commit(history: History, next: AnnotationDoc): History {
  if (next === history.present) return history;
  return { past: [...history.past, history.present].slice(-HISTORY_LIMIT), present: next, future: [] };
}

export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo(history: History): History {
  const next = history.future[0];
  if (!next) return history;
  return { past: [...history.past, history.present], present: next, future: history.future.slice(1) };
}

export function addShape(doc: AnnotationDoc, shape: Shape): AnnotationDoc {
  return { ...doc, shapes: [...doc.shapes, shape] };
}

export function replaceShape(doc: AnnotationDoc, shape: Shape): AnnotationDoc {
  return { ...doc, shapes: doc.shapes.map((s) => (s.id === shape.id ? shape : s)) };
}

export function removeShape(doc: AnnotationDoc, id: string): AnnotationDoc {
  return { ...doc, shapes: doc.shapes.filter((s) => s.id !== id) };
}

export function setCalibration(doc: AnnotationDoc, calibration: Calibration | null): AnnotationDoc {
  return { ...doc, calibration };
}
