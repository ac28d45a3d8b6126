import type Konva from 'konva';
import { useEffect, useMemo } from 'react';
import type { ViewerController } from '../../../../shared/domain/viewer/viewer-controller';

type Handler = React.PointerEventHandler<HTMLDivElement>;

/**
 * The stage's DOM events, handed to the controller in stage coordinates. The gestures themselves
 * (pan, pinch, drafts, calibration, landmark picks) are the controller's (gestures.ts); the only
 * question asked of the page is whether the select tool pressed on a drawn mark (Konva's hit test).
 */
export function useDraftInput(
  controller: ViewerController,
  containerRef: React.RefObject<HTMLDivElement | null>,
  stageRef: React.RefObject<Konva.Stage | null>,
): { onPointerDown: Handler; onPointerMove: Handler; onPointerUp: Handler; onPointerCancel: Handler } {
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    // Not React's onWheel: a passive listener could not stop the page from scrolling.
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      controller.wheel({
        deltaY: e.deltaY,
        deltaMode: e.deltaMode,
        ctrlKey: e.ctrlKey,
        at: { x: e.clientX - rect.left, y: e.clientY - rect.top },
      });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [containerRef, controller]);

  return useMemo(() => {
    const local = (e: React.PointerEvent<HTMLDivElement>): { x: number; y: number } => {
      const rect = e.currentTarget.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    };
    const up: Handler = (e) => controller.pointerUp(e.pointerId);
    return {
      onPointerDown: (e) => {
        const at = local(e);
        controller.pointerDown({
          id: e.pointerId,
          at,
          button: e.button,
          onMark: controller.tool === 'select' && !!stageRef.current?.getIntersection(at),
        });
      },
      onPointerMove: (e) => controller.pointerMove(e.pointerId, local(e)),
      onPointerUp: up,
      onPointerCancel: up,
    };
  }, [controller, stageRef]);
}
