import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { startHub } from '../../src/hub/start-hub';
import { caseReference } from '../../src/shared/domain/case-reference';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { NHS_NUMBER_SYSTEM } from '../../src/shared/hub-api/fhir-bundle';
import { failsafeResponseSchema } from '../../src/shared/hub-api/loop-api';
import { inboxResponseSchema } from '../../src/shared/hub-api/practice-api';
import { fhirProblems } from '../support/fhir-validator';
import { dermoscopyFixtures } from '../support/fixtures';
import { setFileClock } from '../support/hub-clock-file';
import { spawnHubProcess, type HubProcess } from '../support/hub-process';
import { pdfText } from '../support/pdf-text';
import { sampleNhsNumber } from '../support/sample-case';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink';
import { TEST_CLOCK_START } from '../support/test-clock';
import { makeTempDir } from '../support/temp-dir';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { GpReferralForm, HubSignIn } from './pages/hub-pages';
import { SyncPage } from './pages/sync-page';
import { WorklistPage } from './pages/worklist-page';

/**
 * The GP-facing round trip on real processes: the hub as its own OS process (its mail through a
 * real SMTP server on loopback, its calendar on a clock file the spec moves), the consultant's
 * workstation on the Node test host in Chromium, and the hub's own pages in Chromium. A practice
 * refers with photographs and consent, sends a patient a link by email, the patient sends a
 * photograph from a phone, the consultant decides by keyboard in the workstation, and the
 * practice is emailed (a link and a reference only), reads the outcome, downloads the letter,
 * pulls the FHIR resources, is chased when it does not act, acknowledges, and the operator's
 * failsafe list clears.
 */
const PRACTICE = { username: 'riverside.reception', password: 'riverside reception battery staple' };
const CONSULTANT = { username: 'dr.roundtrip', password: 'round trip consultant staple', name: 'Dr Ada Lovelace' };
const OPERATOR = { username: 'ops.roundtrip', password: 'round trip operator staple' };
const ODS = 'B82005';
const MAILBOX = 'riverside.practice@nhs.net';
const PATIENT_EMAIL = 'grace.patient@example.net';
const PATIENT = {
  nhsNumber: sampleNhsNumber(7301),
  givenName: 'Grace',
  familyName: 'Hopper',
  dateOfBirth: '1956-12-09',
};
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 720 };
// Monday 09:00 (TEST_CLOCK_START); the failsafe's 2 working days run out after Wednesday.
const THURSDAY = '2026-12-03T09:00:00.000Z';

const dir = makeTempDir('dermdesk-round-trip-');
const clockFile = join(dir.path, 'hub-clock');
let smtp: SmtpSink;
let hub: HubProcess;

test.use({ viewport: DESKTOP });

test.beforeAll(async ({ browserName: _browser }, info) => {
  info.skip(info.project.name !== 'host', 'The hub pages run in Debian Chromium on the host project.');
  smtp = await startSmtpSink();
  setFileClock(clockFile, TEST_CLOCK_START);
  // The accounts and the practice's mailbox go into the hub's database before its process
  // starts (as an operator's admin CLI would; the CLI's temporary passwords would add a
  // password change to every sign-in here).
  const seed = await startHub({ dataDir: join(dir.path, 'hub'), port: 0, now: () => new Date(TEST_CLOCK_START) });
  await seed.admin.createPractice({
    ...PRACTICE,
    displayName: 'Riverside reception',
    odsCode: ODS,
    practiceName: 'Riverside Medical Practice',
  });
  await seed.admin.createUser({ ...CONSULTANT, displayName: CONSULTANT.name, gmcNumber: '7012345' });
  await seed.admin.createUser({ ...OPERATOR, displayName: 'Service operator', role: 'admin' });
  await seed.admin.setPracticeSettings({ odsCode: ODS, mailbox: MAILBOX, failsafeWorkingDays: 2, patientCopy: false });
  await seed.close();
  hub = await spawnHubProcess(
    join(dir.path, 'hub'),
    [],
    {
      DERMDESK_TEST_CLOCK_FILE: clockFile,
      DERMDESK_HUB_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      DERMDESK_HUB_MAIL_FROM: 'DermDesk <no-reply@dermdesk.nhs.uk>',
    },
    'tests/support/hub-on-file-clock.ts',
  );
});
test.afterAll(async () => {
  await hub?.stop();
  await smtp?.close();
  dir.remove();
});

const api = async (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${hub.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

async function signIn(path: string, body: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: body.username, password: body.password }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function failsafeReferences(): Promise<string[]> {
  const token = await signIn('/auth/login', OPERATOR);
  const res = await api(`${HUB_API_PREFIX}/ops/failsafe`, token);
  expect(res.status).toBe(200);
  return failsafeResponseSchema.parse(await res.json()).escalated.map((e) => e.reference);
}

/** The mails that reached `to`, in order of arrival. */
const mailsTo = (to: string): ReceivedMail[] => smtp.received.filter((m) => m.envelopeTo.includes(to));

async function waitForMail(to: string, count: number): Promise<ReceivedMail[]> {
  await expect.poll(() => mailsTo(to).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  return mailsTo(to);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: false });
}

test('a referral goes from the GP form and the patient’s phone to the consultant and back to the practice', async ({
  app,
  browser,
}) => {
  test.setTimeout(240_000);
  const photos = dermoscopyFixtures();

  // 1. The GP signs in on /gp and refers a patient in the room: photographs and consent.
  const gpContext = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
  const gp = await gpContext.newPage();
  await gp.goto(`${hub.url}/gp`);
  await new HubSignIn(gp).signIn(PRACTICE.username, PRACTICE.password);
  const form = new GpReferralForm(gp);
  await form.fillPatientAndReferral({ nhsNumber: sampleNhsNumber(7302), dateOfBirth: '1950-03-14' });
  await gp.getByRole('button', { name: 'Left forearm (back)' }).click();
  await gp.getByLabel('Site detail').fill('Mid third');
  await form.addImage('overview', photos[1]!);
  await form.addImage('dermoscopy', photos[2]!);
  await expect(form.images()).toHaveCount(2);
  await gp.getByLabel(/The patient consents to this referral/).check();
  await shot(gp, '01-gp-form');
  await gp.getByLabel('Allergies').press('Control+Enter');
  const receipt = gp.getByRole('status').filter({ hasText: 'Referral sent' });
  await expect(receipt).toContainText('2 photograph(s)');
  await expect(receipt).toContainText('triage is due by 03/12/2026');
  const formReference = /Reference (DD-[0-9A-F]{8})/.exec((await receipt.textContent()) ?? '')?.[1];

  // 2. A second patient is not in the room: the GP fills in the details and has the hub email
  //    them a link from the same page.
  await gp.getByLabel('NHS number').fill(PATIENT.nhsNumber);
  await gp.getByLabel('Given name').fill(PATIENT.givenName);
  await gp.getByLabel('Family name').fill(PATIENT.familyName);
  await gp.getByLabel('Date of birth').fill(PATIENT.dateOfBirth);
  await gp.getByLabel('Sex').selectOption('female');
  await gp.getByLabel('Priority').selectOption('urgent');
  await gp.getByLabel('Presenting complaint').fill('Bleeding lesion on the back');
  await gp.getByLabel('Duration').fill('2 months');
  await gp.getByLabel('Change or evolution').fill('Growing, bled twice');
  await gp.getByRole('button', { name: 'Upper back' }).first().click();
  await gp.getByLabel('Site detail').fill('Left scapula');
  await gp.getByLabel('Send the link').selectOption('email');
  await gp.getByLabel("Patient's email address or UK mobile number").fill(PATIENT_EMAIL);
  await gp.getByRole('button', { name: 'Create a patient link instead' }).click();
  const linkResult = gp.locator('#link-result');
  await expect(linkResult).toContainText(`The link is on its way to ${PATIENT_EMAIL} by email`);
  await expect(linkResult).toContainText('until 07/12/2026');
  await shot(gp, '02-gp-link-sent');

  // 3. The patient's email: the practice's name and the link, nothing about them.
  const [linkMail] = await waitForMail(PATIENT_EMAIL, 1);
  expect(linkMail!.parsed.subject).toBe('Riverside Medical Practice: please send photos of your skin');
  for (const secret of [PATIENT.nhsNumber, PATIENT.familyName, PATIENT.dateOfBirth, 'Bleeding'])
    expect(linkMail!.raw).not.toContain(secret);
  const link = /(http:\/\/127\.0\.0\.1:\d+\/p\/[A-Za-z0-9_-]+)/.exec(linkMail!.parsed.text ?? '')?.[1];
  expect(link).toBeTruthy();

  // 4. On a phone: date of birth, a photograph, consent, send.
  const phoneContext = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const phone = await phoneContext.newPage();
  await phone.goto(link!);
  await expect(phone.getByRole('heading', { name: 'Send photographs of your skin' })).toBeVisible();
  await phone.getByLabel('Your date of birth').fill(PATIENT.dateOfBirth);
  await phone.getByLabel('Which photograph is this?').selectOption('close-up');
  await phone.locator('#image-file').setInputFiles(photos[4]!);
  await expect(phone.locator('#image-check')).toContainText('Photograph added');
  await phone.getByLabel(/How long has it been there/).fill('Since the summer; it bled on my shirt twice.');
  await phone.getByLabel(/I agree to send these photographs/).check();
  await shot(phone, '03-patient-phone');
  await phone.getByRole('button', { name: 'Send photographs' }).tap();
  await expect(phone.getByRole('status').filter({ hasText: 'Thank you' })).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await shot(phone, '04-patient-sent');

  // Which cases those became (the worklist rows are found by case id).
  const practiceToken = await signIn('/practice/login', PRACTICE);
  const inbox = inboxResponseSchema.parse(await (await api(`${HUB_API_PREFIX}/practice/inbox`, practiceToken)).json());
  const caseOf = (nhs: string) => inbox.items.find((i) => i.patient.nhsNumber === nhs)!.caseId;
  const formCase = caseOf(sampleNhsNumber(7302));
  expect(formReference).toBe(caseReference(formCase));
  const caseId = caseOf(PATIENT.nhsNumber);
  const reference = caseReference(caseId);

  // 5. The consultant syncs, opens the patient's case and decides by keyboard.
  const page = app.page;
  const sync = new SyncPage(page);
  const worklist = new WorklistPage(page);
  const view = new CasePage(page);
  await sync.signIn(hub.url, CONSULTANT.username, CONSULTANT.password);
  await expect(sync.consultant).toHaveText(CONSULTANT.name);
  await sync.syncButton.click();
  await expect(sync.syncState).toHaveText('Synced', { timeout: 60_000 });
  await expect(worklist.row(formCase)).toBeVisible();
  await worklist.row(caseId).click();
  await expect(page.getByTestId('image-thumb')).toHaveCount(1);
  await expect(view.decisionForm).toBeVisible();
  await page.locator('#case-pane').focus();
  await page.keyboard.press('u');
  await expect(view.outcome('Urgent face-to-face appointment')).toBeChecked();
  await view.diagnosisSearch.focus();
  await page.keyboard.type('basal cell');
  await page.keyboard.press('Enter');
  const diagnosis = 'Basal cell carcinoma of skin';
  await expect(page.getByTestId('diagnosis-chosen')).toContainText(diagnosis);
  await page.getByLabel('Advice to the GP').focus();
  // The advice starts with the diagnosis's standard text: the consultant adds to it.
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Please make sure the patient is booked; keep the lesion covered meanwhile.');
  await page.keyboard.press('Control+Enter');
  await expect(view.confirmSign).toBeVisible();
  await shot(page, '05-consultant-confirm');
  await page.keyboard.press('Enter');
  await expect(view.signed).toContainText('Urgent face-to-face appointment');
  await sync.syncButton.click();
  await expect(page.getByTestId('decision-sync-state')).toHaveText('synced', { timeout: 30_000 });

  // 6. The practice's mailbox: a link and the reference, no patient data.
  const [ready] = await waitForMail(MAILBOX, 1);
  expect(ready!.parsed.subject).toBe(`DermDesk teledermatology: outcome ready (ref ${reference})`);
  for (const secret of [
    PATIENT.nhsNumber,
    PATIENT.givenName,
    PATIENT.familyName,
    PATIENT.dateOfBirth,
    'Bleeding',
    'Basal',
    'Urgent',
  ])
    expect(ready!.raw.toLowerCase()).not.toContain(secret.toLowerCase());
  const inboxLink = /(http:\/\/127\.0\.0\.1:\d+\/gp\/inbox\?case=[0-9a-f-]+)/.exec(ready!.parsed.text ?? '')?.[1];
  expect(inboxLink).toBe(`${hub.url}/gp/inbox?case=${caseId}`);

  // 7. The link opens the inbox on that referral: the outcome and what the practice must do.
  await gp.goto(inboxLink!);
  const item = gp.locator(`.inbox-item[data-case-id="${caseId}"]`);
  await expect(item).toBeFocused();
  await expect(item).toContainText('Outcome received');
  // The reference the email quoted, and dates as a UK practice writes them.
  await expect(item).toContainText(`Ref ${reference} · Bleeding lesion on the back · received 30/11/2026`);
  await expect(item).toContainText('Needs action');
  await expect(item.getByRole('heading', { name: 'Urgent face-to-face appointment' })).toBeVisible();
  await expect(item).toContainText(`Diagnosis: ${diagnosis}`);
  await expect(item).toContainText('keep the lesion covered meanwhile');
  await expect(item.getByRole('heading', { name: 'What the practice must do' })).toBeVisible();
  await expect(item).toContainText(`${CONSULTANT.name} (GMC 7012345)`);
  await gp.getByLabel('Needs action only').check();
  await expect(gp.locator('.inbox-item')).toHaveCount(1);
  await expect(item).toBeVisible();
  await shot(gp, '06-practice-inbox');

  // The letter: a PDF that names the diagnosis.
  const download = gp.waitForEvent('download');
  await item.getByRole('button', { name: 'Download letter (PDF)' }).click();
  const letterFile = join(dir.path, 'letter.pdf');
  await (await download).saveAs(letterFile);
  const letter = await pdfText(letterFile);
  expect(letter.text).toContain(diagnosis);
  expect(letter.text.toLowerCase()).toContain(PATIENT.familyName.toLowerCase());

  // 8. The GP system's side: FHIR R4 with the practice's token, each resource valid R4.
  const fhir = async (query: string, token = practiceToken) => {
    const res = await api(`/fhir/r4/${query}`, token);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as { entry?: { resource: Record<string, unknown> }[] };
    expect(fhirProblems(bundle)).toEqual([]);
    for (const e of bundle.entry ?? []) expect(fhirProblems(e.resource)).toEqual([]);
    return (bundle.entry ?? []).map((e) => e.resource);
  };
  const patientQuery = `patient.identifier=${NHS_NUMBER_SYSTEM}|${PATIENT.nhsNumber}`;
  const [serviceRequest] = await fhir(`ServiceRequest?${patientQuery}`);
  expect(serviceRequest).toMatchObject({ id: caseId, status: 'completed' });
  const [report] = await fhir(`DiagnosticReport?${patientQuery}`);
  expect(report).toMatchObject({
    status: 'final',
    basedOn: [{ reference: `ServiceRequest/${caseId}` }],
    conclusionCode: [{ coding: [{ system: 'http://snomed.info/sct' }] }],
  });
  expect(JSON.stringify(report)).toContain(diagnosis);
  const tasks = await fhir(`Task?${patientQuery}&status=requested`);
  expect(tasks.length).toBeGreaterThan(0);
  expect(
    tasks.every((t) => (t['focus'] as { reference: string }).reference === `DiagnosticReport/${report!['id']}`),
  ).toBe(true);

  // 9. Nobody acts: once the 2 working days have passed the hub chases the practice by email
  //    and the operator's failsafe list shows the outcome.
  expect(await failsafeReferences()).toEqual([]);
  setFileClock(clockFile, THURSDAY);
  const [, chase] = await waitForMail(MAILBOX, 2);
  expect(chase!.parsed.subject).toBe(
    `DermDesk teledermatology: ACTION NEEDED, outcome not yet acknowledged (ref ${reference})`,
  );
  expect(chase!.raw).not.toContain(PATIENT.nhsNumber);
  expect(await failsafeReferences()).toEqual([reference]);
  // The operator's dashboard lists it, to phone the practice.
  const opsContext = await browser.newContext({ viewport: DESKTOP });
  const ops = await opsContext.newPage();
  await ops.goto(`${hub.url}/ops`);
  await new HubSignIn(ops).signIn(OPERATOR.username, OPERATOR.password);
  const failsafe = ops.getByRole('table', { name: 'Outcomes not acknowledged in time' });
  await expect(failsafe.getByRole('row')).toHaveCount(2);
  await expect(failsafe.getByRole('row').nth(1).getByRole('cell')).toHaveText([
    reference,
    ODS,
    'Urgent face-to-face appointment',
    '02/12/2026',
    /^03\/12\/2026 09:\d\d$/,
  ]);
  await failsafe.scrollIntoViewIfNeeded();
  await shot(ops, '07-operator-failsafe');

  // 10. The practice acknowledges on the page (its sign-in from Monday has expired by Thursday).
  await gp.goto(inboxLink!);
  await expect(gp.getByRole('heading', { name: 'Practice sign-in' })).toBeVisible();
  await expect(gp.locator('#login-error')).toContainText('Your sign-in has expired');
  await shot(gp, '08-practice-sign-in-again');
  await new HubSignIn(gp).signIn(PRACTICE.username, PRACTICE.password);
  await expect(item).toBeFocused();
  await item.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(item).toContainText('Acknowledged 03/12/2026 09:');
  await shot(gp, '09-practice-acknowledged');
  expect(await failsafeReferences()).toEqual([]);
  await ops.reload();
  await expect(ops.getByText('None: every outcome that needs the practice to act has been acknowledged')).toBeVisible();
  await expect(failsafe.getByRole('row')).toHaveCount(1);
  const stillOpen = await fhir(`Task?${patientQuery}&status=requested`, await signIn('/practice/login', PRACTICE));
  expect(stillOpen).toEqual([]);
  expect(mailsTo(MAILBOX)).toHaveLength(2);

  await gpContext.close();
  await phoneContext.close();
  await opsContext.close();
});
