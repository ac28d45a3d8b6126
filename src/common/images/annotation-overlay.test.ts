import { describe, expect, it } from 'vitest';
import { annotationSvg } from './annotation-overlay';

describe('annotationSvg', () => {
  const doc = {
    schemaVersion: 1 as const,
    calibration: { from: { x: 0, y: 0 }, to: { x: 100, y: 0 }, millimetres: 10 },
    shapes: [
      { id: 'a', color: '#ffd400', kind: 'arrow' as const, from: { x: 10, y: 10 }, to: { x: 50, y: 50 } },
      { id: 'e', color: '#00ff00', kind: 'ellipse' as const, center: { x: 100, y: 80 }, rx: -20, ry: 10 },
      { id: 'm', color: '#ff0000', kind: 'measure' as const, from: { x: 0, y: 0 }, to: { x: 70, y: 0 } },
      { id: 't', color: '#ffffff', kind: 'text' as const, at: { x: 5, y: 5 }, text: '</svg><script>x</script> & "q"' },
    ],
  };

  it('draws every shape in image pixels, with calibrated lengths in mm', () => {
    const svg = annotationSvg(doc, 800, 600);
    expect(svg).toMatch(/^<svg [^>]*width="800" height="600"/);
    expect(svg).toContain('<ellipse cx="100" cy="80" rx="20" ry="10"');
    expect(svg).toContain('>7.0 mm</text>');
    expect(svg.match(/<line /g)).toHaveLength(2);
  });

  it('escapes hostile text so it cannot leave the SVG', () => {
    const svg = annotationSvg(doc, 800, 600);
    expect(svg).not.toContain('<script>');
    expect(svg.match(/<\/svg>/g)).toHaveLength(1);
    expect(svg).toContain('&#60;/svg&#62;&#60;script&#62;');
  });

  it('is an empty overlay when there are no shapes', () => {
    expect(annotationSvg({ schemaVersion: 1, calibration: null, shapes: [] }, 10, 10)).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"></svg>',
    );
  });
});
