import { esc } from './html';

/**
 * The body map for the lesion site: a front and a back figure whose regions are keyboard
 * focusable buttons, mirrored by a <select> (the accessible fallback and what the form submits).
 * Region ids are `<part>-<anterior|posterior>` with the PATIENT's left and right: on the front
 * figure the patient's left is on the viewer's right.
 */
interface Part {
  id: string;
  label: string;
  /** Box on the front figure (viewBox 0 0 100 206). */
  x: number;
  y: number;
  w: number;
  h: number;
  ellipse?: boolean;
  /** Sided parts swap across the midline between the front and back views. */
  sided?: boolean;
}

const parts: Part[] = [
  { id: 'head', label: 'Head', x: 36, y: 2, w: 28, h: 32, ellipse: true },
  { id: 'neck', label: 'Neck', x: 44, y: 33, w: 12, h: 9 },
  { id: 'chest', label: 'Chest / upper back', x: 30, y: 42, w: 40, h: 30 },
  { id: 'abdomen', label: 'Abdomen / lower back', x: 30, y: 72, w: 40, h: 28 },
  { id: 'pelvis', label: 'Groin / buttocks', x: 32, y: 100, w: 36, h: 10 },
  { id: 'right-upper-arm', label: 'Right upper arm', x: 17, y: 44, w: 12, h: 31, sided: true },
  { id: 'left-upper-arm', label: 'Left upper arm', x: 71, y: 44, w: 12, h: 31, sided: true },
  { id: 'right-forearm', label: 'Right forearm', x: 15, y: 76, w: 11, h: 29, sided: true },
  { id: 'left-forearm', label: 'Left forearm', x: 74, y: 76, w: 11, h: 29, sided: true },
  { id: 'right-hand', label: 'Right hand', x: 13, y: 106, w: 12, h: 13, sided: true },
  { id: 'left-hand', label: 'Left hand', x: 75, y: 106, w: 12, h: 13, sided: true },
  { id: 'right-thigh', label: 'Right thigh', x: 31, y: 111, w: 18, h: 41, sided: true },
  { id: 'left-thigh', label: 'Left thigh', x: 51, y: 111, w: 18, h: 41, sided: true },
  { id: 'right-lower-leg', label: 'Right lower leg', x: 32, y: 153, w: 16, h: 40, sided: true },
  { id: 'left-lower-leg', label: 'Left lower leg', x: 52, y: 153, w: 16, h: 40, sided: true },
  { id: 'right-foot', label: 'Right foot', x: 30, y: 194, w: 18, h: 10, sided: true },
  { id: 'left-foot', label: 'Left foot', x: 52, y: 194, w: 18, h: 10, sided: true },
];

const VIEW_LABEL = { anterior: 'front', posterior: 'back' } as const;
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
}

export const bodyRegions: BodyRegion[] = (['anterior', 'posterior'] as const).flatMap((view) =>
  parts.map((p) => ({
    id: `${p.id}-${view}`,
    label: (view === 'anterior' ? FRONT_ONLY[p.id] : BACK_ONLY[p.id]) ?? `${p.label} (${VIEW_LABEL[view]})`,
  })),
);

function shapes(view: 'anterior' | 'posterior', offsetX: number): string {
  return parts
    .map((p) => {
      // On the back view the patient's left is on the viewer's left: mirror the x position.
      const x = view === 'posterior' ? 100 - p.x - p.w : p.x;
      const region = bodyRegions.find((r) => r.id === `${p.id}-${view}`)!;
      const attrs = `class="region" data-region="${region.id}" tabindex="0" role="button" aria-label="${esc(region.label)}"`;
      const shape = p.ellipse
        ? `<ellipse ${attrs} cx="${offsetX + x + p.w / 2}" cy="${p.y + p.h / 2}" rx="${p.w / 2}" ry="${p.h / 2}"></ellipse>`
        : `<rect ${attrs} x="${offsetX + x}" y="${p.y}" width="${p.w}" height="${p.h}" rx="3"></rect>`;
      return `${shape}<title>${esc(region.label)}</title>`;
    })
    .join('');
}

export function renderBodyMap(): string {
  const options = (view: 'anterior' | 'posterior') =>
    bodyRegions
      .filter((r) => r.id.endsWith(view))
      .map((r) => `<option value="${r.id}">${esc(r.label)}</option>`)
      .join('');
  return `<div class="body-map">
<svg viewBox="0 0 230 210" role="group" aria-label="Body map: choose the lesion site" class="body-map-svg">
<text x="50" y="209" class="view-label">Front</text><text x="172" y="209" class="view-label">Back</text>
${shapes('anterior', 0)}${shapes('posterior', 125)}
</svg>
<label for="site-region">Lesion site</label>
<select id="site-region" name="referral.site.region" data-field="referral.site.region">
<option value="">Choose on the body map or from this list</option>
<optgroup label="Front">${options('anterior')}</optgroup>
<optgroup label="Back">${options('posterior')}</optgroup>
</select>
</div>`;
}
