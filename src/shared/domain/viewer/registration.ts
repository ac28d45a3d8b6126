import type { Vec } from './camera';

/**
 * A similarity transform (uniform scale, rotation, translation) taking points of a moving image
 * onto a reference image: p' = [a −b; b a]·p + (tx, ty). Enough for two photographs of the same
 * lesion taken from a similar distance and angle; the consultant picks 2-3 matching landmarks.
 */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export function applySimilarity(t: Similarity, p: Vec): Vec {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

/** Least-squares similarity from `moving[i]` to `reference[i]`; null if the points are degenerate. */
export function registerPoints(moving: readonly Vec[], reference: readonly Vec[]): Similarity | null {
  const n = Math.min(moving.length, reference.length);
  if (n < 2) return null;
  let mx = 0,
    my = 0,
    rx = 0,
    ry = 0;
  for (let i = 0; i < n; i++) {
    mx += moving[i]!.x;
    my += moving[i]!.y;
    rx += reference[i]!.x;
    ry += reference[i]!.y;
  }
  mx /= n;
  my /= n;
  rx /= n;
  ry /= n;
  let sxx = 0,
    sxy = 0,
    norm = 0;
  for (let i = 0; i < n; i++) {
    const px = moving[i]!.x - mx;
    const py = moving[i]!.y - my;
    const qx = reference[i]!.x - rx;
    const qy = reference[i]!.y - ry;
    sxx += px * qx + py * qy;
    sxy += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (norm < 1e-6) return null;
  const a = sxx / norm;
  const b = sxy / norm;
  return { a, b, tx: rx - (a * mx - b * my), ty: ry - (b * mx + a * my) };
}

/** The transform as canvas setTransform arguments (a, b, c, d, e, f). */
export function similarityMatrix(t: Similarity): [number, number, number, number, number, number] {
  return [t.a, t.b, -t.b, t.a, t.tx, t.ty];
}
