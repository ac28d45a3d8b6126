import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { practiceLoginResponseSchema } from '../../src/shared/hub-api/practice-api';

/** A GP practice's sign-in on the hub (an account made with HubAdmin.createPractice). */
export interface PracticeCredentials {
  username: string;
  password: string;
}

/**
 * The practice answers a consultant's "more information" outcome the way its inbox page does:
 * it signs in and posts a note and dermoscopy photographs to the case (the hub's real routes).
 * Returns the hub's response, refused or not, for the test to judge.
 */
export async function practiceAnswers(
  hubUrl: string,
  practice: PracticeCredentials,
  caseId: string,
  note: string,
  photos: readonly Uint8Array[],
): Promise<Response> {
  const login = await fetch(`${hubUrl}${HUB_API_PREFIX}/practice/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(practice),
  });
  if (login.status !== 200) throw new Error(`practice sign-in failed: ${login.status} ${await login.text()}`);
  const { token } = practiceLoginResponseSchema.parse(await login.json());
  return fetch(`${hubUrl}${HUB_API_PREFIX}/practice/cases/${caseId}/information`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      note,
      images: photos.map((p) => ({
        kind: 'dermoscopy',
        mediaType: 'image/jpeg',
        data: Buffer.from(p).toString('base64'),
      })),
    }),
  });
}
