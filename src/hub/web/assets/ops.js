/* global document */
import { api, setUpLogin, signOut } from './common.js';

function signOutQuietly() {
  const again = document.createElement('button');
  again.type = 'button';
  again.textContent = 'Sign in as the operator';
  again.addEventListener('click', signOut);
  document.getElementById('generated').append(' ', again);
}

async function load() {
  const res = await api('/api/v1/dashboard');
  if (res.status !== 200) {
    document.getElementById('generated').textContent = res.body.error ? res.body.error.message : 'Not available.';
    // A consultant's sign-in is not enough here: offer the operator sign-in again.
    if (res.status === 401 || res.status === 403) signOutQuietly();
    return;
  }
  const d = res.body;
  const set = (id, text) => (document.getElementById(id).textContent = text);
  set('generated', `Figures at ${d.generatedAt.slice(0, 16).replace('T', ' ')} UTC`);
  set('fig-received', `${d.received.total} (${d.received.last7Days} in the last 7 days)`);
  set('fig-awaiting', String(d.awaitingTriage));
  set('fig-overdue', String(d.overdue));
  set('fig-info', String(d.awaitingInformation));
  set('fig-return', `${Math.round(d.imageQualityReturnRate * 100)}% (${d.imageQualityReturns} cases)`);
  set('fig-retakes', `${d.uploadChecks.retakesAsked} of ${d.uploadChecks.total} uploads`);
  set(
    'fig-feedback',
    d.feedback.total ? `${d.feedback.total} responses, average ${d.feedback.averageRating} / 5` : 'None yet',
  );
  const rows = d.outcomeMix.map((m) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = m.label;
    const td = document.createElement('td');
    td.textContent = String(m.count);
    tr.append(th, td);
    return tr;
  });
  document.getElementById('mix').replaceChildren(...rows);
  document.getElementById('mix-empty').hidden = rows.length > 0;
  await loadFailsafe();
  await loadMessages();
}

const TEMPLATE = {
  'outcome-ready': 'Outcome ready (practice)',
  'information-requested': 'More information requested (practice)',
  'outcome-escalated': 'Not acknowledged in time (practice)',
  'patient-link': 'Patient link',
};

/** Messages still being tried or given up on; a failed one can be sent again. */
async function loadMessages() {
  const res = await api('/api/v1/ops/messages');
  if (res.status !== 200) return;
  const rows = res.body.messages.map((m) => {
    const tr = document.createElement('tr');
    const status =
      m.status === 'failed'
        ? `Failed after ${m.attempts} attempt(s)`
        : m.attempts === 0
          ? 'Waiting to be sent'
          : `Trying again at ${ukTime(m.nextAttemptAt)}`;
    for (const text of [
      m.reference,
      `${TEMPLATE[m.template] || m.template} by ${m.channel}`,
      m.recipient,
      status,
      m.lastError || '',
    ]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const action = document.createElement('td');
    if (m.status === 'failed') {
      const again = document.createElement('button');
      again.type = 'button';
      again.textContent = 'Send again';
      again.setAttribute('aria-label', `Send ${m.reference} again`);
      again.addEventListener('click', async () => {
        again.disabled = true;
        await api(`/api/v1/ops/messages/${m.id}/retry`, { method: 'POST' });
        await loadMessages();
      });
      action.append(again);
    }
    tr.append(action);
    return tr;
  });
  document.getElementById('messages').replaceChildren(...rows);
  document.getElementById('messages-empty').hidden = rows.length > 0;
}

/** The failsafe list: outcomes needing the practice to act, escalated because nobody acknowledged them. */
async function loadFailsafe() {
  const res = await api('/api/v1/ops/failsafe');
  const error = document.getElementById('failsafe-error');
  error.hidden = res.status === 200;
  if (res.status !== 200) {
    error.textContent = res.body.error ? res.body.error.message : 'The failsafe list could not be loaded.';
    return;
  }
  const rows = res.body.escalated.map((e) => {
    const tr = document.createElement('tr');
    tr.dataset.caseId = e.caseId;
    for (const text of [e.reference, e.odsCode, e.outcome, ukDate(e.dueOn), ukTime(e.escalatedAt)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  document.getElementById('failsafe').replaceChildren(...rows);
  document.getElementById('failsafe-empty').hidden = rows.length > 0;
}

/** A UK date (30/11/2026) from an ISO date or instant. */
function ukDate(iso) {
  return new Date(iso).toLocaleDateString('en-GB', { timeZone: 'Europe/London' });
}

/** UK wall-clock time, to the minute. */
function ukTime(iso) {
  return new Date(iso)
    .toLocaleString('en-GB', {
      timeZone: 'Europe/London',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    })
    .replace(',', '');
}

setUpLogin({
  role: 'operator',
  loginPath: '/api/v1/auth/login',
  describe: (body) => ({ name: body.consultant.displayName }),
  onSignedIn: () => {
    document.getElementById('dashboard').hidden = false;
    void load();
  },
});
