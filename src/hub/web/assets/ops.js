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
