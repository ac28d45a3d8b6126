import { z } from 'zod';

/**
 * The sealed outbox journal (docs/architecture.md, "Key loss and the sealed outbox"): every row a
 * workstation queues for the hub is also written to disk encrypted to the hub's X25519 public key,
 * so that a workstation whose cache key was lost can still deliver what it signed offline. Only
 * the hub can open an entry; the workstation keeps the public key, which is not a secret.
 */

export const SEALING_ALGORITHM = 'x25519-hkdf-sha256-aes-256-gcm';

// GET /api/v1/sealing-key → 200 sealingKeyResponseSchema (consultant token)
export const sealingKeyResponseSchema = z.object({
  algorithm: z.literal(SEALING_ALGORITHM),
  /** First 16 hex digits of the SHA-256 of the raw public key: names the key in each entry. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** The raw 32-byte X25519 public key, base64. */
  publicKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/)
    .describe('base64 of the 32-byte raw X25519 public key'),
});
export type SealingKeyResponse = z.infer<typeof sealingKeyResponseSchema>;

/** File names and entry ids carry only kind and reference id: never patient data. */
export const sealedEntryIdSchema = z.string().regex(/^[a-z-]{1,30}~[A-Za-z0-9._-]{1,120}$/);

/** The cleartext header of a sealed entry (bound to the ciphertext as associated data). */
export const sealedHeaderSchema = z
  .object({
    v: z.literal(1),
    kind: z.string().regex(/^[a-z-]{1,30}$/),
    refId: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/),
    /** Who queued it: the signed-in consultant, or 'system' for rows no one signed (e.g. purges). */
    consultantId: z.string().min(1).max(200),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    createdAt: z.string().datetime(),
  })
  .strict();
export type SealedHeader = z.infer<typeof sealedHeaderSchema>;

/** What is inside the box: the outbox row's payload exactly as the outbox would have sent it. */
export const sealedContentSchema = z.object({
  kind: z.string(),
  refId: z.string(),
  consultantId: z.string(),
  payload: z.unknown(),
});
export type SealedContent = z.infer<typeof sealedContentSchema>;

/** A sealed entry is at most 1 MiB (a decision is a few KB); base64 makes it 4/3 larger. */
export const SEALED_ENTRY_MAX_BYTES = 1024 * 1024;

// POST /api/v1/sealed-outbox → 200 sealedUploadResponseSchema (consultant token)
// `unconfirmed`: the entry was still `.pending` (written inside a transaction whose commit the
// workstation cannot prove), so the hub records it for review and never applies it.
export const sealedUploadRequestSchema = z
  .object({
    entries: z
      .array(
        z
          .object({
            id: sealedEntryIdSchema,
            state: z.enum(['sealed', 'unconfirmed']),
            box: z
              .string()
              .min(1)
              .max(Math.ceil((SEALED_ENTRY_MAX_BYTES * 4) / 3) + 4)
              .regex(/^[A-Za-z0-9+/]+={0,2}$/),
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict();
export type SealedUploadRequest = z.infer<typeof sealedUploadRequestSchema>;

/**
 * accepted: applied now. duplicate: the hub already had it (a no-op). needs-review: opened and
 * kept for an operator (unconfirmed, or the case changed so it could not be applied).
 * rejected: the hub could not open it (wrong key, tampered, truncated): the workstation keeps the
 * file. retry: the hub could not apply it now; send again later.
 */
export const sealedOutcomeSchema = z.enum(['accepted', 'duplicate', 'needs-review', 'rejected', 'retry']);
export type SealedOutcome = z.infer<typeof sealedOutcomeSchema>;

export const sealedUploadResponseSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      outcome: sealedOutcomeSchema,
      message: z.string(),
    }),
  ),
});
export type SealedUploadResponse = z.infer<typeof sealedUploadResponseSchema>;

// GET /api/v1/sealed-outbox/review → 200 sealedReviewResponseSchema (admin token)
export const sealedReviewResponseSchema = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      consultantId: z.string(),
      kind: z.string(),
      refId: z.string(),
      outcome: z.enum(['needs-review', 'unconfirmed']),
      message: z.string(),
      receivedAt: z.string(),
      payload: z.unknown(),
    }),
  ),
});
