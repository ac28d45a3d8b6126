import type { DerivedMetaData } from '../../../../shared/contract/image-methods';

/** An image ready to view: its content address and its pyramid. */
export interface ViewerImage {
  sha256: string;
  meta: DerivedMetaData;
  label: string;
}

export type Tool = 'select' | 'arrow' | 'ellipse' | 'freehand' | 'text' | 'measure' | 'calibrate';

/** Non-destructive display adjustments (the stored image and the export are never changed). */
export interface Adjustments {
  brightness: number;
  contrast: number;
  gamma: number;
}

export const neutralAdjustments: Adjustments = { brightness: 1, contrast: 1, gamma: 1 };

export const toolLabels: Record<Tool, { label: string; key: string }> = {
  select: { label: 'Select / pan', key: 'V' },
  arrow: { label: 'Arrow', key: 'A' },
  ellipse: { label: 'Ellipse', key: 'E' },
  freehand: { label: 'Freehand', key: 'F' },
  text: { label: 'Text label', key: 'T' },
  measure: { label: 'Measure', key: 'M' },
  calibrate: { label: 'Calibrate scale', key: 'K' },
};
