import type Konva from 'konva';
import { Arrow, Circle, Ellipse, Group, Line, Text } from 'react-konva';
import { lengthLabel, type AnnotationDoc, type Shape } from '../../../../shared/domain/viewer/annotations';

/**
 * How every label and measurement is lettered: the mark's colour with a dark outline drawn behind
 * the fill (stroke first, then fill), so the text keeps its contrast on pale skin, where yellow
 * alone fades, and on dark skin, where a dark shadow alone disappears. The outline's width is in
 * screen pixels whatever the zoom.
 */
export const outlinedText = {
  stroke: '#000',
  strokeWidth: 3,
  strokeScaleEnabled: false,
  fillAfterStrokeEnabled: true,
  lineJoin: 'round',
} as const;

/**
 * The marks, drawn by Konva inside a group whose transform is the camera (set imperatively by
 * the viewer on every frame). Shapes live in oriented-image pixels; stroke widths and text sizes
 * are divided by the zoom so they stay readable on screen at any magnification.
 */
export function AnnotationShapes(props: {
  doc: AnnotationDoc;
  draft: Shape | null;
  calibrationDraft: { from: { x: number; y: number }; to: { x: number; y: number } } | null;
  selectedId: string | null;
  selectable: boolean;
  scale: number;
  /** Registration landmarks picked on this image (numbered). */
  pickedPoints: readonly { x: number; y: number }[];
  onSelect(id: string | null): void;
  onMoved(shape: Shape, dx: number, dy: number): void;
}): React.JSX.Element {
  const { doc, scale } = props;
  const s = 1 / Math.max(scale, 1e-6);
  const render = (shape: Shape, isDraft: boolean): React.JSX.Element => {
    const selected = shape.id === props.selectedId;
    const common = {
      stroke: shape.color,
      strokeWidth: selected ? 4 : 2.5,
      strokeScaleEnabled: false,
      shadowColor: '#000',
      shadowBlur: selected ? 8 : 2,
      shadowForStrokeEnabled: true,
      hitStrokeWidth: 14,
      listening: props.selectable && !isDraft,
    };
    const drag = {
      draggable: props.selectable && selected && !isDraft,
      onClick: (e: Konva.KonvaEventObject<MouseEvent>) => {
        e.cancelBubble = true;
        props.onSelect(shape.id);
      },
      onTap: () => props.onSelect(shape.id),
      onDragEnd: (e: Konva.KonvaEventObject<DragEvent>) => {
        const node = e.target;
        const dx = node.x();
        const dy = node.y();
        node.position({ x: 0, y: 0 });
        // The whole drag becomes one edit (one undo step).
        if (dx !== 0 || dy !== 0) props.onMoved(shape, dx, dy);
      },
    };
    const key = isDraft ? 'draft' : shape.id;
    switch (shape.kind) {
      case 'arrow':
        return (
          <Arrow
            key={key}
            {...common}
            {...drag}
            fill={shape.color}
            points={[shape.from.x, shape.from.y, shape.to.x, shape.to.y]}
            pointerLength={14 * s}
            pointerWidth={12 * s}
          />
        );
      case 'ellipse':
        return (
          <Ellipse
            key={key}
            {...common}
            {...drag}
            x={shape.center.x}
            y={shape.center.y}
            radiusX={Math.abs(shape.rx)}
            radiusY={Math.abs(shape.ry)}
          />
        );
      case 'freehand':
        return (
          <Line key={key} {...common} {...drag} points={shape.points.flatMap((p) => [p.x, p.y])} lineCap="round" />
        );
      case 'text':
        return (
          <Text
            key={key}
            {...drag}
            listening={common.listening}
            x={shape.at.x}
            y={shape.at.y}
            text={shape.text}
            fontSize={16 * s}
            fill={shape.color}
            {...outlinedText}
            padding={2 * s}
          />
        );
      case 'measure':
        return (
          <Group key={key} {...drag}>
            <Line {...common} points={[shape.from.x, shape.from.y, shape.to.x, shape.to.y]} dash={[6 * s, 3 * s]} />
            <Text
              listening={false}
              x={(shape.from.x + shape.to.x) / 2 + 6 * s}
              y={(shape.from.y + shape.to.y) / 2 + 6 * s}
              text={lengthLabel(shape.from, shape.to, doc.calibration)}
              fontSize={15 * s}
              fill={shape.color}
              {...outlinedText}
            />
          </Group>
        );
    }
  };
  const cal = props.calibrationDraft ?? doc.calibration;
  return (
    <>
      {cal && (
        <Group listening={false}>
          <Line
            points={[cal.from.x, cal.from.y, cal.to.x, cal.to.y]}
            stroke="#4fd1ff"
            strokeWidth={2}
            strokeScaleEnabled={false}
            dash={[4 * s, 4 * s]}
          />
          <Text
            x={cal.to.x + 6 * s}
            y={cal.to.y + 6 * s}
            text={
              doc.calibration && !props.calibrationDraft ? `scale ref ${doc.calibration.millimetres} mm` : 'scale ref'
            }
            fontSize={13 * s}
            fill="#4fd1ff"
            {...outlinedText}
          />
        </Group>
      )}
      {doc.shapes.map((shape) => render(shape, false))}
      {props.draft && render(props.draft, true)}
      {props.pickedPoints.map((p, i) => (
        <Group key={`pick-${i}`} listening={false}>
          <Circle
            x={p.x}
            y={p.y}
            radius={9 * s}
            fill="#4fd1ff"
            stroke="#000"
            strokeWidth={1}
            strokeScaleEnabled={false}
          />
          <Text x={p.x - 4 * s} y={p.y - 6 * s} text={String(i + 1)} fontSize={12 * s} fill="#000" />
        </Group>
      ))}
    </>
  );
}
