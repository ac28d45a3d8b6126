import { z } from 'zod';
import { method } from './define';

export const lockReasonSchema = z.enum(['idle', 'manual', 'reauthentication']).nullable();

export const lockStatusSchema = z.object({
  locked: z.boolean(),
  reason: lockReasonSchema,
  canUnlockOffline: z.boolean(),
  /** Policy: lock after this many minutes without keyboard or pointer input. */
  idleMinutes: z.number().int().positive(),
});

/** Methods the lock screen may call while the workstation is locked (create-core's guard). */
export const methodsAllowedWhileLocked = ['app.status', 'lock.status', 'lock.lock', 'lock.unlock'] as const;

export const lockMethods = {
  'lock.status': method(z.object({}).strict(), lockStatusSchema, 'Whether the workstation is locked, and why.'),
  'lock.lock': method(
    z.object({ reason: z.enum(['idle', 'manual']) }).strict(),
    z.object({ locked: z.literal(true) }),
    'Lock now (idle timer or the consultant).',
  ),
  'lock.unlock': method(
    z.object({ password: z.string().min(1).max(1000) }).strict(),
    z.object({ locked: z.literal(false) }),
    "Unlock with the consultant's password (checked offline against a keychain verifier).",
  ),
};
