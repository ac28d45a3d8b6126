import { bodyRegions, regionBox, type BodyView } from '../../shared/domain/body-map';
import { esc } from './html';

/**
 * The body map for the lesion site: a front and a back figure whose regions are keyboard
 * focusable buttons, mirrored by a <select> (the accessible fallback and what the form submits).
 * The regions and their geometry are shared with the consultant's case view
 * (src/shared/domain/body-map.ts).
 */
function shapes(view: BodyView, offsetX: number): string {
  return bodyRegions
    .filter((region) => region.view === view)
    .map((region) => {
      const box = regionBox(region);
      const attrs = `class="region" data-region="${region.id}" tabindex="0" role="button" aria-label="${esc(region.label)}"`;
      const shape = box.ellipse
        ? `<ellipse ${attrs} cx="${offsetX + box.x + box.w / 2}" cy="${box.y + box.h / 2}" rx="${box.w / 2}" ry="${box.h / 2}"></ellipse>`
        : `<rect ${attrs} x="${offsetX + box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="3"></rect>`;
      return `${shape}<title>${esc(region.label)}</title>`;
    })
    .join('');
}

export function renderBodyMap(): string {
  const options = (view: BodyView) =>
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
