import { page } from './html';

/** The operator's dashboard (role admin): figures from GET /api/v1/dashboard, and the accounts. */
export function renderOpsPage(): string {
  return page({
    title: 'Service dashboard',
    scripts: ['ops.js'],
    body: `<section id="login" class="card" hidden>
<h1>Operator sign-in</h1>
<form id="login-form" novalidate>
<label for="login-username">Username</label><input id="login-username" name="username" autocomplete="username">
<label for="login-password">Password</label><input id="login-password" name="password" type="password" autocomplete="current-password">
<p class="error" id="login-error" role="alert" hidden></p>
<button type="submit">Sign in</button>
</form>
</section>
<section id="dashboard" hidden>
<h1>Service dashboard</h1>
<p class="hint" id="generated"></p>
<dl class="figures">
<div><dt>Cases received</dt><dd id="fig-received"></dd></div>
<div><dt>Awaiting triage</dt><dd id="fig-awaiting"></dd></div>
<div class="warn"><dt>Overdue (past 3 working days)</dt><dd id="fig-overdue"></dd></div>
<div><dt>Awaiting information</dt><dd id="fig-info"></dd></div>
<div><dt>Image-quality return rate</dt><dd id="fig-return"></dd></div>
<div><dt>Retakes asked at upload</dt><dd id="fig-retakes"></dd></div>
<div><dt>Feedback</dt><dd id="fig-feedback"></dd></div>
</dl>
<h2>Outcome mix</h2>
<table class="mix"><thead><tr><th scope="col">Outcome</th><th scope="col">Cases</th></tr></thead><tbody id="mix"></tbody></table>
<p id="mix-empty" class="empty" hidden>No decisions yet.</p>
<h2 id="failsafe-heading">Outcomes not acknowledged in time</h2>
<p class="hint">Each asks the practice to act and was not acknowledged within the practice's working days; the practice has been emailed again. Phone the practice. A row leaves this list when the practice acknowledges it.</p>
<table class="mix" aria-labelledby="failsafe-heading"><thead><tr><th scope="col">Reference</th><th scope="col">Practice (ODS)</th><th scope="col">Outcome</th><th scope="col">Due by</th><th scope="col">Chased</th></tr></thead><tbody id="failsafe"></tbody></table>
<p id="failsafe-empty" class="empty" hidden>None: every outcome that needs the practice to act has been acknowledged in time.</p>
<p id="failsafe-error" class="error" role="alert" hidden></p>
<h2 id="messages-heading">Messages not yet delivered</h2>
<p class="hint">Emails and texts the hub is still trying to send, or gave up on. Nothing is lost: the outcome stays in the practice's inbox. Fix the cause (address, mail relay), then send again.</p>
<table class="mix" aria-labelledby="messages-heading"><thead><tr><th scope="col">Reference</th><th scope="col">Message</th><th scope="col">To</th><th scope="col">Status</th><th scope="col">Last error</th><th scope="col">Action</th></tr></thead><tbody id="messages"></tbody></table>
<p id="messages-empty" class="empty" hidden>None: every message has been delivered.</p>
</section>
${accountsSection()}`,
  });
}

const accountField = (name: string, label: string, input: string, hint = '') =>
  `<div class="field" data-field-wrap="${name}"><label for="account-${name}">${label}</label>${hint ? `<p class="hint">${hint}</p>` : ''}
<p class="field-error" data-error-for="${name}" hidden></p>${input}</div>`;
const accountInput = (name: string, extra = '') =>
  `<input id="account-${name}" name="${name}" data-field="${name}" ${extra}>`;

/**
 * Accounts (ops.js, /api/v1/ops/accounts): the page's side of `npm run hub -- admin`. A new or
 * reset password is shown once, to be passed to the person, who chooses their own at sign-in.
 */
function accountsSection(): string {
  return `<section id="accounts" hidden>
<h2>Accounts</h2>
<form id="account-form" novalidate>
<h3>Add an account</h3>
<div id="error-summary" class="error-summary" role="alert" tabindex="-1" hidden><h2>There is a problem</h2><ul></ul></div>
${accountField(
  'role',
  'Kind of account',
  `<select id="account-role" name="role" data-field="role"><option value="gp-practice">GP practice</option><option value="consultant">Consultant</option><option value="admin">Operator</option></select>`,
)}
${accountField('username', 'Username', accountInput('username', 'autocomplete="off" spellcheck="false"'), '3-64 letters, digits, dots, dashes or underscores')}
${accountField('displayName', 'Name shown', accountInput('displayName', 'autocomplete="off"'))}
<div data-for-role="gp-practice">
${accountField('odsCode', 'ODS code', accountInput('odsCode', 'autocomplete="off" spellcheck="false"'), 'The practice code, e.g. B82005')}
${accountField('practiceName', 'Practice name', accountInput('practiceName', 'autocomplete="off"'))}
</div>
<div data-for-role="consultant" hidden>
${accountField('gmcNumber', 'GMC number', accountInput('gmcNumber', 'inputmode="numeric" autocomplete="off"'), '7 digits')}
${accountField('subspecialties', 'Subspecialties', accountInput('subspecialties', 'autocomplete="off"'), 'Separated by commas; may be left empty')}
</div>
<button type="submit">Add account</button>
</form>
<div id="account-password" class="card receipt" role="status" hidden></div>
<table class="mix" id="accounts-table"><thead><tr><th scope="col">Username</th><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Details</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead><tbody id="account-rows"></tbody></table>
<p id="accounts-empty" class="empty" hidden>No accounts.</p>
</section>`;
}

/**
 * The feedback form (feedback.js sends it): on the feedback page with a choice of patient or
 * practice, on the patient's outcome page as a patient's.
 */
export function feedbackFormHtml(options: { patientOnly?: boolean } = {}): string {
  const source = options.patientOnly
    ? '<input type="hidden" name="source" value="patient">'
    : `<fieldset><legend>Are you a patient or from a GP practice?</legend>
<label class="check"><input type="radio" name="source" value="patient" checked> Patient</label>
<label class="check"><input type="radio" name="source" value="practice"> GP practice</label>
</fieldset>`;
  return `<div id="thanks" class="card receipt" role="status" hidden><p>Thank you for your feedback.</p></div>
<form id="feedback-form" novalidate>
${source}
<fieldset><legend>How was the service? (1 poor, 5 very good)</legend>
<p class="field-error" data-error-for="rating" hidden></p>
${[1, 2, 3, 4, 5].map((n) => `<label class="check rating"><input type="radio" name="rating" value="${n}"> ${n}</label>`).join('')}
</fieldset>
<label for="comment">Comments</label><textarea id="comment" name="comment" rows="4" maxlength="2000"></textarea>
<button type="submit">Send feedback</button>
</form>`;
}

/** Feedback from patients and practices. */
export function renderFeedbackPage(): string {
  return page({
    title: 'Feedback',
    scripts: ['feedback.js'],
    body: `<h1>Tell us what you think</h1>
${feedbackFormHtml()}`,
  });
}

/** Choosing one's own password after the service set one (a new account, a reset). */
export function renderAccountPasswordPage(): string {
  return page({
    title: 'Choose your password',
    scripts: ['account-password.js'],
    body: `<h1>Choose your password</h1>
<p>The teledermatology service set your password. Choose your own before you sign in: at least 12
characters; a few unrelated words are easy to remember and hard to guess.</p>
<div id="done" class="card receipt" role="status" hidden><p>Your password is changed. Sign in with it now.</p></div>
<form id="password-form" novalidate>
<p class="field-error" id="form-error" role="alert" hidden></p>
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required>
<label for="current">Password you were given</label><input id="current" name="current" type="password" autocomplete="current-password" required>
<label for="new">New password</label><input id="new" name="new" type="password" autocomplete="new-password" minlength="12" required>
<label for="repeat">New password again</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" required>
<button type="submit">Change password</button>
</form>`,
  });
}
