import { renderBodyMap } from './body-map';
import { esc, page } from './html';

const RISK_FACTORS = [
  'fair skin that burns easily',
  'history of sunburn',
  'previous skin cancer',
  'family history of melanoma',
  'more than 100 moles',
  'immunosuppression',
];

const loginSection = `
<section id="login" class="card" hidden>
<h1>Practice sign-in</h1>
<form id="login-form" novalidate>
<label for="login-username">Username</label><input id="login-username" name="username" autocomplete="username" required>
<label for="login-password">Password</label><input id="login-password" name="password" type="password" autocomplete="current-password" required>
<p class="error" id="login-error" role="alert" hidden></p>
<button type="submit">Sign in</button>
</form>
</section>`;

const nav = (active: 'refer' | 'inbox') => `
<nav class="practice-nav" id="practice-nav" hidden aria-label="Practice">
<a href="/gp" ${active === 'refer' ? 'aria-current="page"' : ''}>New referral</a>
<a href="/gp/inbox" ${active === 'inbox' ? 'aria-current="page"' : ''}>Outcomes inbox</a>
<span id="practice-name" class="who"></span>
<button type="button" id="sign-out" class="link">Sign out</button>
</nav>`;

function field(name: string, label: string, input: string, hint = ''): string {
  return `<div class="field" data-field-wrap="${name}">
<label for="${name}">${esc(label)}</label>${hint ? `<p class="hint">${esc(hint)}</p>` : ''}
<p class="field-error" data-error-for="${name}" hidden></p>
${input}
</div>`;
}
const text = (name: string, extra = '') => `<input id="${name}" name="${name}" data-field="${name}" ${extra}>`;
const area = (name: string, rows = 3) =>
  `<textarea id="${name}" name="${name}" data-field="${name}" rows="${rows}"></textarea>`;

/** The GP referral form: the minimum dataset, the body map, images with a quality check at upload. */
export function renderGpReferPage(): string {
  return page({
    title: 'New referral',
    scripts: ['gp-refer.js'],
    body: `${loginSection}${nav('refer')}
<section id="refer" hidden>
<h1>New teledermatology referral</h1>
<div id="error-summary" class="error-summary" role="alert" tabindex="-1" hidden><h2>There is a problem</h2><ul></ul></div>
<div id="receipt" class="receipt" role="status" hidden></div>
<form id="refer-form" novalidate>
<fieldset><legend>Patient</legend>
${field('patient.nhsNumber', 'NHS number', text('patient.nhsNumber', 'inputmode="numeric" autocomplete="off" maxlength="12"'), '10 digits, e.g. 943 476 5919')}
${field('patient.givenName', 'Given name', text('patient.givenName'))}
${field('patient.familyName', 'Family name', text('patient.familyName'))}
${field('patient.dateOfBirth', 'Date of birth', text('patient.dateOfBirth', 'type="date"'))}
${field('patient.sex', 'Sex', `<select id="patient.sex" name="patient.sex" data-field="patient.sex"><option value="female">Female</option><option value="male">Male</option><option value="other">Other</option><option value="unknown" selected>Not known</option></select>`)}
</fieldset>
<fieldset><legend>Referral</legend>
${field('clinician', 'Referring clinician', text('clinician'))}
${field(
  'referral.priority',
  'Priority',
  `<select id="referral.priority" name="referral.priority" data-field="referral.priority"><option value="routine">Routine</option><option value="urgent">Urgent</option><option value="suspected-cancer">Suspected cancer (two-week wait)</option></select>`,
)}
${field('referral.presentingComplaint', 'Presenting complaint', area('referral.presentingComplaint'))}
${field('referral.duration', 'Duration', text('referral.duration'), 'e.g. 6 months')}
${field('referral.evolution', 'Change or evolution', area('referral.evolution', 2))}
<div class="field" data-field-wrap="referral.site.region"><p class="field-error" data-error-for="referral.site.region" hidden></p>${renderBodyMap()}</div>
${field('referral.site.description', 'Site detail', text('referral.site.description'), 'e.g. posterior forearm, mid third')}
${field('referral.symptoms', 'Symptoms', area('referral.symptoms', 2), 'itch, bleeding, pain')}
${field('referral.history', 'Relevant history', area('referral.history'))}
${field('referral.medication', 'Medication', area('referral.medication', 2))}
${field('referral.allergies', 'Allergies', text('referral.allergies'))}
<fieldset class="checks"><legend>Risk factors</legend>
${RISK_FACTORS.map((r, i) => `<label class="check"><input type="checkbox" name="referral.riskFactors" value="${esc(r)}" id="risk-${i}"> ${esc(r)}</label>`).join('\n')}
</fieldset>
</fieldset>
<fieldset><legend>Photographs</legend>
<p class="hint">An overview that shows where the lesion is, a close-up, and a dermoscopy image for pigmented lesions. Put a ruler or coin beside the lesion for scale. Each photograph is checked for resolution, focus and light as it is added.</p>
<p class="field-error" data-error-for="images" hidden></p>
<div class="add-image">
<label for="image-kind">Kind of photograph</label>
<select id="image-kind"><option value="overview">Overview (where it is)</option><option value="close-up">Close-up</option><option value="dermoscopy">Dermoscopy</option></select>
<label for="image-file">Photograph</label>
<input id="image-file" type="file" accept="image/jpeg,image/png,image/webp">
</div>
<div id="image-check" class="image-check" role="status" aria-live="polite" hidden></div>
<ul id="image-list" class="image-list" aria-label="Photographs to send"></ul>
</fieldset>
<fieldset><legend>Consent</legend>
<p class="field-error" data-error-for="referral.consent" hidden></p>
<p class="field-error" data-error-for="referral.consent.given" hidden></p>
<label class="check"><input type="checkbox" id="consent" name="referral.consent.given" data-field="referral.consent.given"> The patient consents to this referral and to their photographs being sent to the dermatology service.</label>
</fieldset>
<button type="submit" id="send" aria-keyshortcuts="Control+Enter">Send referral</button> <span class="hint">Ctrl+Enter</span> <span id="sending" role="status" hidden>Sending…</span>
<fieldset class="patient-link"><legend>Patient not here?</legend>
<p class="hint">Fill in the patient and referral details, then send them a link to add photographs and consent from home (it works once, for 7 days).</p>
${field(
  'send.channel',
  'Send the link',
  `<select id="send.channel" name="send.channel" data-field="send.channel"><option value="">I will copy it and send it myself</option><option value="email">By email from the hub</option><option value="sms">By text message from the hub</option></select>`,
)}
${field('send.to', "Patient's email address or UK mobile number", text('send.to', 'autocomplete="off"'))}
<button type="button" id="send-link" class="secondary">Create a patient link instead</button>
</fieldset>
<div id="link-result" class="receipt" role="status" hidden></div>
</form>
</section>`,
  });
}

/** The practice's outcome inbox, its patient links and answers to requests for information. */
export function renderGpInboxPage(): string {
  return page({
    title: 'Outcomes inbox',
    scripts: ['gp-inbox.js'],
    body: `${loginSection}${nav('inbox')}
<section id="inbox" hidden>
<h1>Outcomes inbox</h1>
<label class="check"><input type="checkbox" id="needs-action-only"> Needs action only</label>
<p id="inbox-empty" class="empty" hidden>No referrals from your practice yet.</p>
<p id="inbox-error" class="error" role="alert" hidden></p>
<div id="locked-links" class="card refused" role="alert" hidden>
<h2>Patient links locked</h2>
<p>These links were locked after too many wrong dates of birth. Check with the patient, then send a new link.</p>
<ul id="locked-links-list"></ul>
</div>
<ul id="inbox-list" class="inbox-list"></ul>
</section>`,
  });
}
