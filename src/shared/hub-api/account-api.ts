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

// The operator's account work (/api/v1/ops/accounts; the same as `npm run hub -- admin`).
// Field rules (username, ODS code, GMC number) are checked by the hub's account admin, one rule
// for the CLI and the page; here only the shape.
const name = z.string().trim().min(1, 'Enter a name.').max(200);
export const newAccountRequestSchema = z.discriminatedUnion('role', [
  z.object({
    role: z.literal('consultant'),
    username: z.string().trim().max(200),
    displayName: name,
    gmcNumber: z.string().trim().max(50),
    subspecialties: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  }),
  z.object({
    role: z.literal('gp-practice'),
    username: z.string().trim().max(200),
    displayName: name,
    odsCode: z.string().trim().max(50),
    practiceName: name,
  }),
  z.object({ role: z.literal('admin'), username: z.string().trim().max(200), displayName: name }),
]);
export type NewAccountRequest = z.input<typeof newAccountRequestSchema>;

export const accountSummarySchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['consultant', 'admin', 'gp-practice']),
  active: z.boolean(),
  mustChoosePassword: z.boolean(),
  gmcNumber: z.string().nullable(),
  subspecialties: z.array(z.string()),
  practice: z.object({ odsCode: z.string(), name: z.string() }).nullable(),
});
export const accountListResponseSchema = z.object({ accounts: z.array(accountSummarySchema) });
export const accountResponseSchema = z.object({ account: accountSummarySchema });
/** A new account or a reset: the temporary password is shown once, to the operator. */
export const accountWithPasswordResponseSchema = z.object({
  account: accountSummarySchema,
  temporaryPassword: z.string(),
});
