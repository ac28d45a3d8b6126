import { lengthLabel, type AnnotationDoc, type Shape } from '../../../../shared/domain/viewer/annotations';

function describe(shape: Shape, doc: AnnotationDoc): string {
  switch (shape.kind) {
    case 'arrow':
      return 'Arrow';
    case 'ellipse':
      return `Ellipse ${lengthLabel({ x: 0, y: 0 }, { x: 2 * Math.abs(shape.rx), y: 0 }, doc.calibration)} × ${lengthLabel({ x: 0, y: 0 }, { x: 2 * Math.abs(shape.ry), y: 0 }, doc.calibration)}`;
    case 'freehand':
      return 'Freehand outline';
    case 'text':
      return `Label “${shape.text}”`;
    case 'measure':
      return `Measure ${lengthLabel(shape.from, shape.to, doc.calibration)}`;
  }
}

/**
 * The marks as text beside the canvas: a screen reader (and a test) can read what is drawn,
 * including each measurement in the unit it is shown in.
 */
export function MarksList(props: {
  doc: AnnotationDoc;
  selectedId: string | null;
  onSelect(id: string): void;
}): React.JSX.Element {
  return (
    <ol className="marks-list" aria-label="Marks on this image" data-testid="marks-list">
      {props.doc.shapes.map((shape) => (
        <li key={shape.id}>
          <button type="button" aria-pressed={shape.id === props.selectedId} onClick={() => props.onSelect(shape.id)}>
            {describe(shape, props.doc)}
          </button>
        </li>
      ))}
    </ol>
  );
}
