import type { DerivedMetaData } from '../../../../shared/contract/image-methods';

/** An image ready to view: its content address and its pyramid. */
export interface ViewerImage {
  sha256: string;
  meta: DerivedMetaData;
  label: string;
}

export type { Tool } from '../../../../shared/domain/viewer/gestures';
export { neutralAdjustments, type Adjustments } from '../../../../shared/domain/viewer/workspace-state';
export { toolLabels } from '../../../../shared/domain/viewer/viewer-keys';
