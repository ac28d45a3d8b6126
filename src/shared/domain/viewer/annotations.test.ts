import { describe, expect, it } from 'vitest';
import {
  addShape,
  annotationDocSchema,
  commit,
  emptyDoc,
  historyOf,
  lengthLabel,
  mmPerPixel,
  redo,
  removeShape,
  replaceShape,
  setCalibration,
  translateShape,
  undo,
  type Shape,
} from './annotations';

const arrow: Shape = { id: 'a1', kind: 'arrow', color: '#ffd400', from: { x: 0, y: 0 }, to: { x: 30, y: 40 } };

describe('annotation model', () => {
  it('labels lengths in px until calibrated, then in mm', () => {
    expect(lengthLabel({ x: 0, y: 0 }, { x: 30, y: 40 }, null)).toBe('50 px');
    const calibration = { from: { x: 0, y: 0 }, to: { x: 100, y: 0 }, millimetres: 10 };
    expect(mmPerPixel(calibration)).toBeCloseTo(0.1);
    expect(lengthLabel({ x: 0, y: 0 }, { x: 30, y: 40 }, calibration)).toBe('5.0 mm');
    expect(lengthLabel({ x: 0, y: 0 }, { x: 300, y: 400 }, calibration)).toBe('50 mm');
  });

  it('a degenerate calibration (a zero-length reference) never produces mm', () => {
    const calibration = { from: { x: 5, y: 5 }, to: { x: 5.2, y: 5 }, millimetres: 10 };
    expect(mmPerPixel(calibration)).toBeNull();
    expect(lengthLabel({ x: 0, y: 0 }, { x: 3, y: 4 }, calibration)).toBe('5 px');
  });

  it('moves every kind of shape by a drag delta', () => {
    expect(translateShape(arrow, 5, -5)).toMatchObject({ from: { x: 5, y: -5 }, to: { x: 35, y: 35 } });
    const free: Shape = {
      id: 'f',
      kind: 'freehand',
      color: '#ffd400',
      points: [
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ],
    };
    expect(translateShape(free, 1, 1)).toMatchObject({
      points: [
        { x: 2, y: 2 },
        { x: 3, y: 3 },
      ],
    });
  });

  it('undo and redo step through committed edits; a drag is one step', () => {
    let h = historyOf(emptyDoc());
    h = commit(h, addShape(h.present, arrow));
    // A drag: many previews, one commit of the final position.
    h = commit(h, replaceShape(h.present, translateShape(arrow, 10, 10)));
    h = commit(h, removeShape(h.present, 'a1'));
    expect(h.present.shapes).toHaveLength(0);
    h = undo(h);
    expect(h.present.shapes[0]).toMatchObject({ from: { x: 10, y: 10 } });
    h = undo(h);
    expect(h.present.shapes[0]).toMatchObject({ from: { x: 0, y: 0 } });
    h = redo(h);
    expect(h.present.shapes[0]).toMatchObject({ from: { x: 10, y: 10 } });
    // A new edit after undo discards the redo branch.
    h = commit(h, setCalibration(h.present, { from: { x: 0, y: 0 }, to: { x: 1, y: 1 }, millimetres: 1 }));
    expect(redo(h)).toBe(h);
    expect(undo(undo(undo(undo(h)))).present).toEqual(emptyDoc());
  });

  it('the stored schema refuses unknown kinds, out-of-range coordinates and future versions', () => {
    expect(annotationDocSchema.safeParse({ ...emptyDoc(), shapes: [arrow] }).success).toBe(true);
    expect(annotationDocSchema.safeParse({ ...emptyDoc(), schemaVersion: 2 }).success).toBe(false);
    expect(annotationDocSchema.safeParse({ ...emptyDoc(), shapes: [{ ...arrow, kind: 'polygon' }] }).success).toBe(
      false,
    );
    expect(
      annotationDocSchema.safeParse({ ...emptyDoc(), shapes: [{ ...arrow, to: { x: Infinity, y: 0 } }] }).success,
    ).toBe(false);
    expect(
      annotationDocSchema.safeParse({ ...emptyDoc(), calibration: { from: arrow.from, to: arrow.to, millimetres: -1 } })
        .success,
    ).toBe(false);
  });
});
