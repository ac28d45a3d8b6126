import { describe, expect, it } from 'vitest';
import { bodyRegions, findBodyRegion, regionBox } from './body-map';

describe('body map', () => {
  it('names every region once, front and back', () => {
    const ids = bodyRegions.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('left-forearm-posterior');
    expect(findBodyRegion('head-anterior')?.label).toBe('Face');
    expect(findBodyRegion('chest-posterior')?.label).toBe('Upper back');
    expect(findBodyRegion('left-forearm-posterior')?.label).toBe('Left forearm (back)');
  });

  it('refuses unknown and hostile ids', () => {
    for (const id of ['', 'left-forearm', 'scalp', '__proto__', 'constructor', 'left-forearm-posterior ']) {
      expect(findBodyRegion(id), id).toBeNull();
    }
  });

  it("keeps laterality: the patient's left is on the viewer's right from the front, left from the back", () => {
    const front = regionBox(findBodyRegion('left-forearm-anterior')!);
    const back = regionBox(findBodyRegion('left-forearm-posterior')!);
    expect(front.x).toBeGreaterThan(50);
    expect(back.x + back.w).toBeLessThan(50);
    expect(regionBox(findBodyRegion('head-posterior')!).ellipse).toBe(true);
  });
});

describe('referral site validation', () => {
  it('accepts only body-map regions, naming the field', async () => {
    const { lesionSiteSchema } = await import('./case');
    expect(lesionSiteSchema.safeParse({ region: 'left-forearm-posterior', description: '' }).success).toBe(true);
    const bad = lesionSiteSchema.safeParse({ region: 'left-elbow-ish', description: '' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['region'], message: 'must be a region of the body map' });
  });
});
