import { expect, test } from '@playwright/test';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { addOperator, addPractice, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { TEST_CLOCK_START } from '../support/test-clock';
import { HubSignIn } from './pages/hub-pages';

/**
 * A message the mail relay refused is on the operator's page with the relay's reason, and "Send
 * again" delivers it once the cause is fixed: a failed send is visible and loses nothing.
 */
let hub: TestHub;
let smtp: SmtpSink;

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The hub pages run in Debian Chromium on the host project.');
  smtp = await startSmtpSink();
  hub = await startTestHub({
    now: () => new Date(TEST_CLOCK_START),
    notify: {
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'DermDesk <no-reply@dermdesk.nhs.uk>' },
      // The spec sweeps by hand, so the relay's refusal is not retried behind its back.
      sweepIntervalMs: 3_600_000,
    },
  });
});
test.afterAll(async () => {
  await hub?.close();
  await smtp?.close();
});

test('the operator sees a refused email with its reason and sends it again', async ({ page }) => {
  const practice = await addPractice(hub);
  const operator = await addOperator(hub);
  const s = sampleSubmission(61);
  const { consent: _c, symptoms: _s, ...referral } = s.referral;
  const res = await fetch(`${hub.url}${HUB_API_PREFIX}/practice/patient-links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await practiceLogin(hub, practice)}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'new-referral',
      draft: { patient: s.patient, clinician: s.clinician, referral },
      send: { channel: 'email', to: 'grace@example.net' },
    }),
  });
  expect(res.status).toBe(201);
  const link = createLinkResponseSchema.parse(await res.json());
  smtp.failNext(550);
  await hub.hub.loop.sweep();
  expect(smtp.received).toHaveLength(0);

  await page.goto(`${hub.url}/ops`);
  await new HubSignIn(page).signIn(operator.username, operator.password);
  const table = page.getByRole('table', { name: 'Messages not yet delivered' });
  const row = table.getByRole('row').nth(1);
  await expect(row.getByRole('cell')).toHaveText([
    `link ${link.linkId.slice(0, 8)}`,
    'Patient link by email',
    'grace@example.net',
    'Failed after 1 attempt(s)',
    /Mailbox refused/,
    'Send again',
  ]);

  await row.getByRole('button', { name: `Send link ${link.linkId.slice(0, 8)} again` }).click();
  const [mail] = await smtp.waitFor(1);
  expect(mail!.envelopeTo).toEqual(['grace@example.net']);
  expect(mail!.parsed.text).toContain(`${hub.url}/p/`);
  await page.reload();
  await expect(page.getByText('None: every message has been delivered.')).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(1);
});
