import { useCallback, useEffect, useRef } from 'react';
import { screenToImage, type Camera, type Size, type Vec } from '../../../../shared/domain/viewer/camera';
import { api } from '../../api/client';
import { previewKey } from './draw-image-layer';
import { tileLoader } from './tile-loader';
import type { ViewerImage } from './viewer-types';

const WIDTH = 160;

/**
 * The whole image in miniature with the visible region outlined (in unrotated image space);
 * clicking centres the view there. Drawn from the cached preview: no extra decode.
 */
export function Minimap(props: {
  image: ViewerImage;
  /** The viewer calls the function put here after each frame it draws. */
  drawRef: React.RefObject<((cam: Camera, viewport: Size) => void) | null>;
  onCenter(p: Vec): void;
}): React.JSX.Element {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const background = useRef<HTMLCanvasElement | null>(null);
  const { meta } = props.image;
  const k = WIDTH / Math.max(meta.width, meta.height);
  const w = Math.max(1, Math.round(meta.width * k));
  const h = Math.max(1, Math.round(meta.height * k));
  const sha256 = props.image.sha256;

  const draw = useCallback(
    (cam: Camera, viewport: Size) => {
      const ctx = canvasRef.current?.getContext('2d');
      if (!ctx) return;
      ctx.clearRect(0, 0, w, h);
      // The miniature is resampled from the 2048 px preview once, then reused every frame.
      if (!background.current) {
        const bitmap = tileLoader.cached(previewKey(sha256));
        if (bitmap) {
          const c = document.createElement('canvas');
          c.width = w;
          c.height = h;
          c.getContext('2d')?.drawImage(bitmap, 0, 0, w, h);
          background.current = c;
        } else void tileLoader.load(previewKey(sha256), api.imageUrl(sha256, 'preview'), 'preview');
      }
      if (background.current) ctx.drawImage(background.current, 0, 0);
      const corners = [
        { x: 0, y: 0 },
        { x: viewport.width, y: 0 },
        { x: viewport.width, y: viewport.height },
        { x: 0, y: viewport.height },
      ].map((c) => screenToImage(cam, viewport, c));
      ctx.strokeStyle = '#ffd400';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      corners.forEach((c, i) => (i === 0 ? ctx.moveTo(c.x * k, c.y * k) : ctx.lineTo(c.x * k, c.y * k)));
      ctx.closePath();
      ctx.stroke();
    },
    [sha256, k, w, h],
  );

  useEffect(() => {
    const ref = props.drawRef;
    ref.current = draw;
    return () => {
      ref.current = null;
    };
  }, [draw, props.drawRef]);

  return (
    <canvas
      ref={canvasRef}
      className="minimap"
      width={w}
      height={h}
      data-testid="minimap"
      aria-label="Minimap: click to move the view there"
      role="button"
      tabIndex={-1}
      onPointerDown={(e) => {
        e.stopPropagation();
        const rect = e.currentTarget.getBoundingClientRect();
        props.onCenter({ x: (e.clientX - rect.left) / k, y: (e.clientY - rect.top) / k });
      }}
    />
  );
}
