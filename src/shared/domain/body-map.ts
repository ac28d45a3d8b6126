/**
 * The body map for the lesion site: one figure seen from the front (anterior) and from the back
 * (posterior). Region ids are `<part>-<anterior|posterior>` with the PATIENT's left and right.
 * The GP form (hub), referral validation and the consultant's case view all use this one list,
 * so a site chosen on one screen is the site shown on the other.
 */
export type BodyView = 'anterior' | 'posterior';

export interface BodyPart {
  id: string;
  label: string;
  /** Box on the FRONT figure, viewBox 0 0 100 206; the back view mirrors x. */
  x: number;
  y: number;
  w: number;
  h: number;
  ellipse?: boolean;
}

export const bodyParts: readonly BodyPart[] = [
  { id: 'head', label: 'Head', x: 36, y: 2, w: 28, h: 32, ellipse: true },
  { id: 'neck', label: 'Neck', x: 44, y: 33, w: 12, h: 9 },
  { id: 'chest', label: 'Chest / upper back', x: 30, y: 42, w: 40, h: 30 },
  { id: 'abdomen', label: 'Abdomen / lower back', x: 30, y: 72, w: 40, h: 28 },
  { id: 'pelvis', label: 'Groin / buttocks', x: 32, y: 100, w: 36, h: 10 },
  { id: 'right-upper-arm', label: 'Right upper arm', x: 17, y: 44, w: 12, h: 31 },
  { id: 'left-upper-arm', label: 'Left upper arm', x: 71, y: 44, w: 12, h: 31 },
  { id: 'right-forearm', label: 'Right forearm', x: 15, y: 76, w: 11, h: 29 },
  { id: 'left-forearm', label: 'Left forearm', x: 74, y: 76, w: 11, h: 29 },
  { id: 'right-hand', label: 'Right hand', x: 13, y: 106, w: 12, h: 13 },
  { id: 'left-hand', label: 'Left hand', x: 75, y: 106, w: 12, h: 13 },
  { id: 'right-thigh', label: 'Right thigh', x: 31, y: 111, w: 18, h: 41 },
  { id: 'left-thigh', label: 'Left thigh', x: 51, y: 111, w: 18, h: 41 },
  { id: 'right-lower-leg', label: 'Right lower leg', x: 32, y: 153, w: 16, h: 40 },
  { id: 'left-lower-leg', label: 'Left lower leg', x: 52, y: 153, w: 16, h: 40 },
  { id: 'right-foot', label: 'Right foot', x: 30, y: 194, w: 18, h: 10 },
  { id: 'left-foot', label: 'Left foot', x: 52, y: 194, w: 18, h: 10 },
];

const VIEW_LABEL: Record<BodyView, string> = { anterior: 'front', posterior: 'back' };
const FRONT_ONLY: Record<string, string> = { head: 'Face', chest: 'Chest', abdomen: 'Abdomen', pelvis: 'Groin' };
const BACK_ONLY: Record<string, string> = {
  head: 'Scalp / back of head',
  chest: 'Upper back',
  abdomen: 'Lower back',
  pelvis: 'Buttocks',
};

export interface BodyRegion {
  id: string;
  label: string;
  part: BodyPart;
  view: BodyView;
}

export const bodyRegions: readonly BodyRegion[] = (['anterior', 'posterior'] as const).flatMap((view) =>
  bodyParts.map((part) => ({
    id: `${part.id}-${view}`,
    label: (view === 'anterior' ? FRONT_ONLY[part.id] : BACK_ONLY[part.id]) ?? `${part.label} (${VIEW_LABEL[view]})`,
    part,
    view,
  })),
);

const byId = new Map(bodyRegions.map((r) => [r.id, r]));

export function findBodyRegion(id: string): BodyRegion | null {
  return byId.get(id) ?? null;
}

/** Where a region is drawn: on the back view the patient's left is on the viewer's left (x mirrored). */
export function regionBox(region: BodyRegion): { x: number; y: number; w: number; h: number; ellipse: boolean } {
  const { part } = region;
  return {
    x: region.view === 'posterior' ? 100 - part.x - part.w : part.x,
    y: part.y,
    w: part.w,
    h: part.h,
    ellipse: part.ellipse === true,
  };
}
