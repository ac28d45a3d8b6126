import type { DerivedMeta, DeriveErrorCode } from './derive-image';

/** Messages between the core and the derivation worker (structured clone, no functions). */
export interface DeriveJob {
  id: number;
  dataDir: string;
  key: Uint8Array;
  sha256: string;
}

export type DeriveReply =
  | { type: 'ready' }
  | { id: number; type: 'progress'; fraction: number }
  | { id: number; type: 'done'; meta: DerivedMeta; threadId: number }
  | { id: number; type: 'failed'; code: DeriveErrorCode; message: string };
