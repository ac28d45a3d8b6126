/* global document */
import { api, clearFieldErrors, setUpLogin, showFieldErrors, signOut } from './common.js';

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

// Accounts: the page's side of `npm run hub -- admin` (/api/v1/ops/accounts).
const KINDS = { 'gp-practice': 'GP practice', consultant: 'Consultant', admin: 'Operator' };
const ACCOUNTS = '/api/v1/ops/accounts';

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function details(a) {
  if (a.practice) return `${a.practice.name} (ODS ${a.practice.odsCode})`;
  const parts = [];
  if (a.gmcNumber) parts.push(`GMC ${a.gmcNumber}`);
  if (a.subspecialties.length > 0) parts.push(a.subspecialties.join(', '));
  return parts.join('; ');
}

function showPassword(verb, r) {
  const box = document.getElementById('account-password');
  const code = document.createElement('code');
  code.textContent = r.temporaryPassword;
  box.replaceChildren(
    `${verb} ${r.account.username}. Temporary password, shown once: `,
    code,
    '. Give it to them; they choose their own at their first sign-in.',
  );
  box.hidden = false;
}

function showProblem(message) {
  const box = document.getElementById('account-password');
  box.textContent = message;
  box.hidden = false;
}

async function act(username, action) {
  const res = await api(`${ACCOUNTS}/${encodeURIComponent(username)}/${action}`, { method: 'POST' });
  if (res.status !== 200) return showProblem(res.body.error ? res.body.error.message : 'That did not work.');
  if (action === 'reset-password') showPassword('Password reset for', res.body);
  else document.getElementById('account-password').hidden = true;
  await loadAccounts();
}

function actionButton(label, username, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary';
  b.textContent = label;
  b.setAttribute('aria-label', `${label}: ${username}`);
  b.addEventListener('click', () => void act(username, action));
  return b;
}

async function loadAccounts() {
  const res = await api(ACCOUNTS);
  // Only an operator gets the list; anyone else sees no account section at all.
  if (res.status !== 200) return;
  document.getElementById('accounts').hidden = false;
  const rows = res.body.accounts.map((a) => {
    const tr = document.createElement('tr');
    tr.dataset.username = a.username;
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = a.username;
    const status = a.active ? (a.mustChoosePassword ? 'Active (password to choose)' : 'Active') : 'Deactivated';
    const actions = document.createElement('td');
    actions.append(
      a.active
        ? actionButton('Deactivate', a.username, 'deactivate')
        : actionButton('Reactivate', a.username, 'reactivate'),
      actionButton('Reset password', a.username, 'reset-password'),
    );
    tr.append(name, cell(KINDS[a.role]), cell(a.displayName), cell(details(a)), cell(status), actions);
    return tr;
  });
  document.getElementById('account-rows').replaceChildren(...rows);
  document.getElementById('accounts-empty').hidden = rows.length > 0;
}

function setUpAccounts() {
  const form = document.getElementById('account-form');
  const showRole = () => {
    for (const group of form.querySelectorAll('[data-for-role]'))
      group.hidden = group.dataset.forRole !== form.role.value;
  };
  form.role.addEventListener('change', showRole);
  showRole();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const role = form.role.value;
    const json = { role, username: form.username.value, displayName: form.displayName.value };
    if (role === 'gp-practice')
      Object.assign(json, { odsCode: form.odsCode.value, practiceName: form.practiceName.value });
    if (role === 'consultant')
      Object.assign(json, {
        gmcNumber: form.gmcNumber.value,
        subspecialties: form.subspecialties.value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      });
    const res = await api(ACCOUNTS, { json });
    if (res.status !== 201) {
      const e = res.body.error || { message: 'The account was not added.' };
      showFieldErrors(form, [{ field: e.field || '', message: e.message }]);
      return;
    }
    showPassword('Added', res.body);
    form.reset();
    showRole();
    await loadAccounts();
  });
  void loadAccounts();
}

setUpLogin({
  role: 'operator',
  loginPath: '/api/v1/auth/login',
  describe: (body) => ({ name: body.consultant.displayName }),
  onSignedIn: () => {
    document.getElementById('dashboard').hidden = false;
    void load();
    setUpAccounts();
  },
});
