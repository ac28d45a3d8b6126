import { bodyRegions, findBodyRegion, regionBox, type BodyView } from '../../../../shared/domain/body-map';

const VIEW_OFFSET: Record<BodyView, number> = { anterior: 0, posterior: 125 };

/**
 * The lesion site as the GP marked it: the same front and back figures as the GP form, with the
 * chosen region filled. Read-only; the region's name is also given as text for screen readers.
 */
export function BodyMapFigure(props: { regionId: string }): React.JSX.Element {
  const site = findBodyRegion(props.regionId);
  return (
    <figure className="body-map-figure" data-testid="body-map">
      <svg
        viewBox="0 0 230 212"
        role="img"
        aria-label={site ? `Body map: ${site.label}` : 'Body map: site not recognised'}
      >
        <text x="50" y="211" className="view-label">
          Front
        </text>
        <text x="172" y="211" className="view-label">
          Back
        </text>
        {bodyRegions.map((region) => {
          const box = regionBox(region);
          const x = VIEW_OFFSET[region.view] + box.x;
          const chosen = region.id === site?.id;
          const common = {
            key: region.id,
            className: chosen ? 'body-region chosen' : 'body-region',
            'data-region': region.id,
            'data-chosen': chosen ? 'true' : undefined,
          };
          return box.ellipse ? (
            <ellipse {...common} cx={x + box.w / 2} cy={box.y + box.h / 2} rx={box.w / 2} ry={box.h / 2} />
          ) : (
            <rect {...common} x={x} y={box.y} width={box.w} height={box.h} rx={3} />
          );
        })}
      </svg>
      <figcaption>{site ? site.label : `Unrecognised site code "${props.regionId}"`}</figcaption>
    </figure>
  );
}
