import { describe, expect, it } from 'vitest';
import type { Shape } from './annotations';
import { fitScale, imageToScreen, type Camera } from './camera';
import { ViewerController, type ViewerChange } from './viewer-controller';

const image = { width: 4000, height: 3000 };
const viewport = { width: 800, height: 600 };

function controller(dpr = 1): {
  c: ViewerController;
  changes: ViewerChange[];
  shapes: Shape[];
  picks: { x: number; y: number }[];
  log: string[];
} {
  let n = 0;
  const c = new ViewerController({ image, dpr: () => dpr, newId: () => `m${++n}` });
  const changes: ViewerChange[] = [];
  const shapes: Shape[] = [];
  const picks: { x: number; y: number }[] = [];
  const log: string[] = [];
  c.subscribe((ch) => changes.push(ch));
  c.events = {
    shape: (s) => shapes.push(s),
    pick: (p) => picks.push(p),
    deselect: () => log.push('deselect'),
    capture: (id) => log.push(`capture ${id}`),
  };
  return { c, changes, shapes, picks, log };
}

const cam = (c: ViewerController): Camera => {
  if (!c.camera) throw new Error('no camera yet');
  return c.camera;
};

describe('ViewerController: camera', () => {
  it('has no camera until the stage is measured, then fits the image', () => {
    const { c, changes } = controller();
    c.zoomBy(2);
    expect(c.camera).toBeNull();
    c.resize({ width: 0, height: 300 });
    expect(c.camera).toBeNull();
    c.resize(viewport);
    expect(cam(c).scale).toBeCloseTo(0.2);
    expect(cam(c).center).toEqual({ x: 2000, y: 1500 });
    expect(changes).toEqual([{ kind: 'camera', camera: cam(c), fromUser: false }]);
  });

  it('ignores a resize to the same box (a resize observer reporting again changes nothing)', () => {
    const { c, changes } = controller();
    c.resize(viewport);
    c.resize({ width: 800.4, height: 600.7 });
    expect(changes).toHaveLength(1);
  });

  it('a fitted view stays fitted when the box changes; a zoomed one keeps its zoom', () => {
    const { c } = controller();
    c.resize(viewport);
    c.resize({ width: 400, height: 600 });
    expect(cam(c).scale).toBeCloseTo(fitScale(image, { width: 400, height: 600 }, 0));
    c.zoomBy(2);
    const zoomed = cam(c).scale;
    c.resize({ width: 1000, height: 700 });
    expect(cam(c).scale).toBe(zoomed);
  });

  it('zooms about a point: the image point under it stays under it', () => {
    const { c } = controller();
    c.resize(viewport);
    const anchor = { x: 200, y: 150 };
    const before = imageToScreen(cam(c), viewport, { x: 1000, y: 750 });
    expect(before).toEqual(anchor);
    c.zoomBy(2, anchor);
    const after = imageToScreen(cam(c), viewport, { x: 1000, y: 750 });
    expect(after.x).toBeCloseTo(anchor.x);
    expect(after.y).toBeCloseTo(anchor.y);
  });

  it('1:1 is one image pixel per device pixel', () => {
    const { c } = controller(2);
    c.resize(viewport);
    c.oneToOne();
    expect(cam(c).scale).toBeCloseTo(0.5);
  });

  it('announces the consultant\u2019s moves as such, and a locked partner\u2019s follow as not', () => {
    const { c, changes } = controller();
    c.resize(viewport);
    c.rotate(1);
    c.pan(10, 0);
    const rel = c.relative();
    if (!rel) throw new Error('no relative view');
    c.setRelative(rel, 90);
    expect(changes.map((ch) => (ch.kind === 'camera' ? ch.fromUser : null))).toEqual([false, true, true, false]);
    expect(cam(c).rotation).toBe(90);
  });

  it('the minimap centres the view on an image point', () => {
    const { c } = controller();
    c.resize(viewport);
    c.zoomBy(4);
    c.centreOn({ x: 1000, y: 1000 });
    expect(cam(c).center).toEqual({ x: 1000, y: 1000 });
  });
});

describe('ViewerController: pointer gestures', () => {
  it('the select tool pans on empty image and deselects; on a mark it leaves the mark layer alone', () => {
    const { c, log } = controller();
    c.resize(viewport);
    c.zoomBy(4);
    const start = cam(c).center;
    c.pointerDown({ id: 1, at: { x: 400, y: 300 }, button: 0, onMark: false });
    expect(log).toEqual(['deselect', 'capture 1']);
    c.pointerMove(1, { x: 480, y: 300 });
    c.pointerUp(1);
    // Dragging right by 80 screen px at 0.8 screen px per image px moves the centre 100 px left.
    expect(cam(c).center.x).toBeCloseTo(start.x - 100);
    expect(c.gesture.mode).toBe('none');

    c.pointerDown({ id: 2, at: { x: 400, y: 300 }, button: 0, onMark: true });
    expect(c.gesture.mode).toBe('none');
    expect(log).toEqual(['deselect', 'capture 1']);
  });

  it('draws an arrow as a draft and commits it once, on release, in image pixels', () => {
    const { c, shapes, changes } = controller();
    c.resize(viewport);
    c.setTool('arrow');
    c.pointerDown({ id: 1, at: { x: 100, y: 100 }, button: 0, onMark: false });
    c.pointerMove(1, { x: 200, y: 150 });
    expect(c.input.draft).toMatchObject({ kind: 'arrow', from: { x: 500, y: 500 }, to: { x: 1000, y: 750 } });
    expect(shapes).toEqual([]);
    c.pointerUp(1);
    expect(shapes).toEqual([
      { id: 'm1', kind: 'arrow', color: '#ffd400', from: { x: 500, y: 500 }, to: { x: 1000, y: 750 } },
    ]);
    expect(c.input.draft).toBeNull();
    expect(changes.filter((ch) => ch.kind === 'input')).toHaveLength(3);
  });

  it('a click with a drawing tool draws nothing', () => {
    const { c, shapes } = controller();
    c.resize(viewport);
    for (const tool of ['arrow', 'measure', 'ellipse', 'freehand'] as const) {
      c.setTool(tool);
      c.pointerDown({ id: 1, at: { x: 100, y: 100 }, button: 0, onMark: false });
      c.pointerUp(1);
    }
    expect(shapes).toEqual([]);
  });

  it('the text tool places the typed label (or "Note") at the click', () => {
    const { c, shapes } = controller();
    c.resize(viewport);
    c.setTool('text');
    c.pointerDown({ id: 1, at: { x: 40, y: 20 }, button: 0, onMark: false });
    c.pointerUp(1);
    c.setTextLabel('  biopsy site ');
    c.pointerDown({ id: 1, at: { x: 80, y: 20 }, button: 0, onMark: false });
    c.pointerUp(1);
    expect(shapes.map((s) => (s.kind === 'text' ? s.text : ''))).toEqual(['Note', 'biopsy site']);
  });

  it('an ellipse and a freehand line follow the pointer', () => {
    const { c, shapes } = controller();
    c.resize(viewport);
    c.setTool('ellipse');
    c.pointerDown({ id: 1, at: { x: 100, y: 100 }, button: 0, onMark: false });
    c.pointerMove(1, { x: 120, y: 90 });
    c.pointerUp(1);
    c.setTool('freehand');
    c.pointerDown({ id: 1, at: { x: 0, y: 0 }, button: 0, onMark: false });
    c.pointerMove(1, { x: 8, y: 0 });
    c.pointerMove(1, { x: 8, y: 8 });
    c.pointerUp(1);
    expect(shapes[0]).toMatchObject({ kind: 'ellipse', center: { x: 500, y: 500 }, rx: 100, ry: -50 });
    expect(shapes[1]).toMatchObject({
      kind: 'freehand',
      points: [
        { x: 0, y: 0 },
        { x: 0, y: 0 },
        { x: 40, y: 0 },
        { x: 40, y: 40 },
      ],
    });
  });

  it('a second finger turns a half-drawn mark into a pinch zoom; lifting one pans with the other', () => {
    const { c, shapes } = controller();
    c.resize(viewport);
    c.setTool('arrow');
    const fit = cam(c).scale;
    c.pointerDown({ id: 1, at: { x: 300, y: 300 }, button: 0, onMark: false });
    c.pointerMove(1, { x: 350, y: 300 });
    c.pointerDown({ id: 2, at: { x: 500, y: 300 }, button: 0, onMark: false });
    expect(c.gesture.mode).toBe('pinch');
    expect(c.input.draft).toBeNull();
    c.pointerMove(2, { x: 650, y: 300 }); // fingers 150 → 300 px apart
    expect(cam(c).scale).toBeCloseTo(fit * 2);
    c.pointerUp(2);
    expect(c.gesture.mode).toBe('pan');
    const centre = cam(c).center;
    c.pointerMove(1, { x: 360, y: 300 });
    expect(cam(c).center.x).toBeLessThan(centre.x);
    c.pointerUp(1);
    expect(shapes).toEqual([]);
  });

  it('a calibration reference waits for its length; a click is not a reference', () => {
    const { c } = controller();
    c.resize(viewport);
    c.setTool('calibrate');
    c.pointerDown({ id: 1, at: { x: 100, y: 100 }, button: 0, onMark: false });
    c.pointerUp(1);
    expect(c.input.pendingCalibration).toBeNull();
    c.pointerDown({ id: 1, at: { x: 100, y: 100 }, button: 0, onMark: false });
    c.pointerMove(1, { x: 140, y: 100 });
    expect(c.input.calibration).toEqual({ from: { x: 500, y: 500 }, to: { x: 700, y: 500 } });
    c.pointerUp(1);
    expect(c.input.pendingCalibration).toEqual({ from: { x: 500, y: 500 }, to: { x: 700, y: 500 } });
    c.clearCalibration();
    expect(c.input.pendingCalibration).toBeNull();
    expect(c.input.calibration).toBeNull();
  });

  it('registration: a click picks a landmark in image pixels instead of drawing', () => {
    const { c, picks, shapes } = controller();
    c.resize(viewport);
    c.setTool('arrow');
    c.setPicking(true);
    c.pointerDown({ id: 1, at: { x: 40, y: 60 }, button: 0, onMark: false });
    c.pointerUp(1);
    expect(picks).toEqual([{ x: 200, y: 300 }]);
    expect(shapes).toEqual([]);
  });

  it('the wheel zooms about the pointer; a trackpad pinch (ctrl) much faster', () => {
    const { c } = controller();
    c.resize(viewport);
    const fit = cam(c).scale;
    c.wheel({ deltaY: -100, deltaMode: 0, ctrlKey: false, at: { x: 400, y: 300 } });
    const wheel = cam(c).scale / fit;
    c.fit();
    c.wheel({ deltaY: -100, deltaMode: 0, ctrlKey: true, at: { x: 400, y: 300 } });
    const pinch = cam(c).scale / fit;
    expect(wheel).toBeCloseTo(Math.exp(0.15));
    expect(pinch).toBeCloseTo(Math.exp(1));
  });

  it('pointer moves before the stage is measured, or of pointers never pressed, change nothing', () => {
    const { c, changes } = controller();
    c.pointerDown({ id: 1, at: { x: 1, y: 1 }, button: 0, onMark: false });
    c.resize(viewport);
    c.pointerMove(7, { x: 50, y: 50 });
    c.pointerUp(7);
    expect(changes).toHaveLength(1);
    expect(c.gesture.mode).toBe('none');
  });

  it('a right-button press neither pans nor draws', () => {
    const { c, log } = controller();
    c.resize(viewport);
    c.pointerDown({ id: 1, at: { x: 10, y: 10 }, button: 2, onMark: false });
    c.pointerMove(1, { x: 90, y: 10 });
    expect(log).toEqual([]);
    expect(cam(c).center).toEqual({ x: 2000, y: 1500 });
  });
});
