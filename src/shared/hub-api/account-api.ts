import { z } from 'zod';

/** The shortest password a person may choose (NCSC: length over complexity rules). */
export const MIN_PASSWORD_LENGTH = 12;

// POST /api/v1/auth/password: choose one's own password after the operator set one.
export const changePasswordRequestSchema = z.object({
  username: z.string().min(1).max(200),
  currentPassword: z.string().min(1).max(1000),
  newPassword: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(1000),
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;
