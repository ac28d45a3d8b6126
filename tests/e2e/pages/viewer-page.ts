import { expect, type Locator, type Page } from '@playwright/test';
import sharp from 'sharp';

/** The image viewer (case view panel or pop-out window). */
export class ViewerPage {
  readonly workspace: Locator;
  readonly stage: Locator;
  readonly thumbs: Locator;
  readonly errors: Locator;
  readonly marks: Locator;
  readonly scaleState: Locator;

  constructor(readonly page: Page) {
    this.workspace = page.getByTestId('viewer-workspace');
    this.stage = page.getByTestId('viewer-stage').first();
    this.thumbs = page.getByTestId('image-thumb');
    this.errors = page.getByTestId('image-error');
    this.marks = page.getByTestId('marks-list').first().getByRole('button');
    this.scaleState = page.getByTestId('scale-state').first();
  }

  /** Opens the pop-out viewer route for a case in this page (the token stays in the fragment). */
  async openCase(caseId: string): Promise<void> {
    const url = new URL(this.page.url());
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    url.hash = `view=viewer&case=${caseId}&token=${token}`;
    await this.page.goto(url.toString());
    await this.page.reload();
    await expect(this.page.getByTestId('viewer-window')).toHaveAttribute('data-case-id', caseId);
  }

  async show(label: RegExp | string): Promise<void> {
    await this.page
      .getByRole('button', typeof label === 'string' ? { name: `Show: ${label}`, exact: true } : { name: label })
      .click();
  }

  /** Waits until the preview and every tile the viewport needs are on screen. */
  async waitSharp(): Promise<void> {
    await expect(this.stage).toHaveAttribute('data-sharp', 'true', { timeout: 20_000 });
  }

  async key(keys: string): Promise<void> {
    await this.workspace.focus();
    await this.page.keyboard.press(keys);
  }

  async camera(): Promise<{ cx: number; cy: number; scale: number; rotation: number }> {
    const d = await this.stage.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    return { cx: Number(d['cx']), cy: Number(d['cy']), scale: Number(d['scale']), rotation: Number(d['rotation']) };
  }

  /** Drags on the stage between two points given as fractions of its size. */
  async drag(from: [number, number], to: [number, number]): Promise<void> {
    const box = await this.stage.boundingBox();
    if (!box) throw new Error('viewer stage not visible');
    await this.page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
    await this.page.mouse.down();
    for (let i = 1; i <= 8; i++) {
      await this.page.mouse.move(
        box.x + box.width * (from[0] + ((to[0] - from[0]) * i) / 8),
        box.y + box.height * (from[1] + ((to[1] - from[1]) * i) / 8),
      );
    }
    await this.page.mouse.up();
  }

  /** The minimap of the first viewer (click: centre the view there). */
  get minimap(): Locator {
    return this.page.getByTestId('minimap').first();
  }

  /** Zoom/pan state of the n-th viewer's stage. */
  async scaleOf(n: number): Promise<number> {
    return Number(await this.page.getByTestId('viewer-stage').nth(n).getAttribute('data-scale'));
  }

  /**
   * A trackpad pinch as Chromium delivers it to pages: wheel events with ctrlKey set (the
   * keyboard's Control is held while the wheel event is dispatched), at a fraction of the stage.
   */
  async trackpadPinch(at: [number, number], deltaY: number): Promise<void> {
    const box = await this.stage.boundingBox();
    if (!box) throw new Error('viewer stage not visible');
    await this.page.mouse.move(box.x + box.width * at[0], box.y + box.height * at[1]);
    await this.page.keyboard.down('Control');
    await this.page.mouse.wheel(0, deltaY);
    await this.page.keyboard.up('Control');
  }

  /**
   * A two-finger touch pinch through the DevTools protocol (real touch events, so the browser
   * makes pointer events of type "touch" from them): fingers at `from` fractions either side
   * of the stage centre move apart to `to`.
   */
  async touchPinch(from: number, to: number, steps = 6): Promise<void> {
    const box = await this.stage.boundingBox();
    if (!box) throw new Error('viewer stage not visible');
    const cdp = await this.page.context().newCDPSession(this.page);
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const points = (f: number): { x: number; y: number; id: number }[] => [
      { x: cx - (box.width * f) / 2, y: cy, id: 1 },
      { x: cx + (box.width * f) / 2, y: cy, id: 2 },
    ];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(from) });
    for (let i = 1; i <= steps; i++) {
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: points(from + ((to - from) * i) / steps),
      });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  /** Registration for blink/swipe: the same fractional points clicked on the first and second image. */
  async register(points: readonly (readonly [number, number])[]): Promise<void> {
    const stages = this.page.getByTestId('viewer-stage');
    await this.page.getByRole('button', { name: /Register/ }).click();
    await stages.first().scrollIntoViewIfNeeded();
    for (const [x, y] of points) {
      for (const i of [0, 1]) {
        const box = await stages.nth(i).boundingBox();
        if (!box) throw new Error('stage hidden');
        await this.page.mouse.click(box.x + box.width * x, box.y + box.height * y);
      }
    }
    await this.page.getByRole('button', { name: 'Done picking' }).click();
  }

  /** The stage's pixels (RGB, row-major) as the consultant sees them. */
  async stagePixels(): Promise<{ data: Buffer; width: number; height: number; box: { x: number; y: number } }> {
    await this.stage.scrollIntoViewIfNeeded();
    const box = await this.stage.boundingBox();
    if (!box) throw new Error('viewer stage not visible');
    const png = await this.page.screenshot({
      clip: {
        x: Math.round(box.x),
        y: Math.round(box.y),
        width: Math.floor(box.width),
        height: Math.floor(box.height),
      },
      animations: 'disabled',
    });
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, box: { x: Math.round(box.x), y: Math.round(box.y) } };
  }

  /**
   * One sample of the viewer's layout as the consultant's screen has it: the workspace's and the
   * stage's boxes, how tall the document is, and whether the image is on the canvas.
   */
  async layoutSample(): Promise<ViewerLayoutSample> {
    return this.page.evaluate(() => {
      const box = (el: Element | null): { x: number; y: number; width: number; height: number } | null => {
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
      };
      const stage = document.querySelector<HTMLElement>('[data-testid="viewer-stage"]');
      // The case pane scrolls inside the window: its content height counts as much as the page's.
      const scroller = document.querySelector('#case-pane');
      return {
        workspace: box(document.querySelector('[data-testid="viewer-workspace"]')),
        stage: box(stage),
        canvasHeight: stage?.querySelector('canvas')?.height ?? 0,
        scrollHeight: document.documentElement.scrollHeight,
        paneScrollHeight: scroller?.scrollHeight ?? 0,
        previewDrawn: stage?.dataset['previewDrawn'] === 'true',
      };
    });
  }

  /**
   * Samples the layout every `everyMs` for `forMs` (each sample waits for the page to answer, so a
   * page that stops responding shows up as few samples rather than as a pass).
   */
  async sampleLayout(forMs: number, everyMs = 500): Promise<ViewerLayoutSample[]> {
    const samples: ViewerLayoutSample[] = [];
    const end = Date.now() + forMs;
    while (Date.now() < end) {
      samples.push(await this.layoutSample());
      await this.page.waitForTimeout(everyMs);
    }
    return samples;
  }

  /**
   * The rows the toolbar's visible controls sit on (their tops, 4 px apart or more count as
   * different rows) and how many controls there are. Controls inside the closed "More" menu are
   * not laid out and do not count.
   */
  async toolbarRows(): Promise<{ tops: number[]; controls: number }> {
    return this.page.getByTestId('viewer-toolbar').evaluate((bar) => {
      // A closed <details> keeps its content laid out (content-visibility: hidden) but not shown.
      const hidden = (el: HTMLElement): boolean => !!el.closest('details:not([open])') && !el.closest('summary');
      const controls = [...bar.querySelectorAll<HTMLElement>('button, label, summary, input')].filter(
        (el) => el.getClientRects().length > 0 && !hidden(el),
      );
      const tops: number[] = [];
      for (const el of controls) {
        const r = el.getBoundingClientRect();
        const mid = r.top + r.height / 2;
        if (!tops.some((t) => Math.abs(t - mid) < 4)) tops.push(Math.round(mid));
      }
      return { tops: tops.sort((a, b) => a - b), controls: controls.length };
    });
  }

  /** How much of the stage is not one flat colour (0 = an empty box). */
  async stageDetail(): Promise<number> {
    const { data } = await this.stagePixels();
    let min = 255;
    let max = 0;
    let sum = 0;
    let sumSq = 0;
    const n = data.length;
    for (let i = 0; i < n; i++) {
      const v = data[i] ?? 0;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / n;
    return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  }

  /** The export's live status region (progress, then "Exported to <path>" or the error). */
  get exportStatus(): Locator {
    return this.page.getByTestId('export-status');
  }

  /** Exports the active image through the core (Ctrl+S) and returns the path the viewer shows. */
  async exportAnnotated(): Promise<string> {
    await this.key('Control+s');
    await expect(this.exportStatus).toContainText('Exported to ', { timeout: 30_000 });
    return (await this.exportStatus.getByTestId('export-path').textContent()) ?? '';
  }
}

export interface ViewerLayoutSample {
  workspace: { x: number; y: number; width: number; height: number } | null;
  stage: { x: number; y: number; width: number; height: number } | null;
  /** The image canvas's backing height (device px): what the stage last sized itself to. */
  canvasHeight: number;
  scrollHeight: number;
  paneScrollHeight: number;
  previewDrawn: boolean;
}
