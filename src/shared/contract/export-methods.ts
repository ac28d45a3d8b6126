import { z } from 'zod';
import { method } from './define';

const exportedFileSchema = z.object({
  path: z.string(),
  fileName: z.string(),
  bytes: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

/** Deliberate plaintext copies for the GP, written outside the encrypted cache and audited. */
export const exportMethods = {
  'images.exportAnnotated': method(
    z.object({ caseId: z.string().uuid(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    exportedFileSchema,
    "Export one image of a case at full resolution with the consultant's marks burnt in, as a PNG in the export folder (audited).",
  ),
};
