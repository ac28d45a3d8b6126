/* global document */
import { api, clearFieldErrors, uploadPhotos, setUpLogin, showFieldErrors, signOut } from './common.js';
import { setUpBodyMap } from './body-map.js';
import { setUpImagePicker } from './image-picker.js';

const form = document.getElementById('refer-form');
const value = (name) => (form.elements.namedItem(name) ? form.elements.namedItem(name).value.trim() : '');

function startPractice(session) {
  document.getElementById('practice-nav').hidden = false;
  document.getElementById('practice-name').textContent = `${session.who.name || ''} · ${session.who.user || ''}`;
  document.getElementById('sign-out').addEventListener('click', signOut);
  document.getElementById('refer').hidden = false;
  if (!value('clinician')) form.elements.namedItem('clinician').value = session.who.user || '';
  setUpBodyMap();
  const picker = setUpImagePicker({ checkPath: '/api/v1/intake/image-check' });

  const details = () => ({
    patient: {
      nhsNumber: value('patient.nhsNumber').replace(/\s/g, ''),
      givenName: value('patient.givenName'),
      familyName: value('patient.familyName'),
      dateOfBirth: value('patient.dateOfBirth'),
      sex: value('patient.sex'),
    },
    clinician: value('clinician'),
    referral: {
      priority: value('referral.priority'),
      presentingComplaint: value('referral.presentingComplaint'),
      duration: value('referral.duration'),
      evolution: value('referral.evolution'),
      site: { region: value('referral.site.region'), description: value('referral.site.description') },
      symptoms: value('referral.symptoms'),
      history: value('referral.history'),
      medication: value('referral.medication'),
      allergies: value('referral.allergies'),
      riskFactors: [...form.querySelectorAll('input[name="referral.riskFactors"]:checked')].map((c) => c.value),
    },
  });

  // Ctrl/Cmd+Enter sends from any field: the GP's hands stay on the keyboard.
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const sending = document.getElementById('sending');
    sending.hidden = false;
    document.getElementById('send').disabled = true;
    try {
      const uploads = await uploadPhotos(picker.images, '/api/v1/uploads/photos');
      if (uploads.error) return showFieldErrors(form, [uploads.error]);
      const d = details();
      const consentGiven = document.getElementById('consent').checked;
      const body = {
        ...d,
        referral: {
          ...d.referral,
          consent: consentGiven
            ? { given: true, recordedAt: new Date().toISOString(), recordedBy: d.clinician || 'practice' }
            : null,
        },
        images: uploads.images,
      };
      const res = await api('/api/v1/intake/referrals', { json: body, headers: { 'x-dermdesk-source': 'web-form' } });
      if (res.status === 201) {
        const receipt = document.getElementById('receipt');
        receipt.textContent = `Referral sent. Reference ${caseReference(res.body.caseId)} with ${res.body.imageCount} photograph(s); triage is due by ${ukDate(res.body.dueOn)}.`;
        receipt.hidden = false;
        // The next referral is usually the same clinician's: keep their name, clear the rest.
        const clinician = value('clinician');
        form.reset();
        form.elements.namedItem('clinician').value = clinician;
        picker.reset();
        receipt.scrollIntoView();
      } else if (res.body.error && res.body.error.fields) {
        showFieldErrors(form, res.body.error.fields);
      } else {
        showFieldErrors(form, [
          { field: 'images', message: res.body.error ? res.body.error.message : 'The referral could not be sent.' },
        ]);
      }
    } finally {
      sending.hidden = true;
      document.getElementById('send').disabled = false;
    }
  });

  document.getElementById('send-link').addEventListener('click', async () => {
    clearFieldErrors(form);
    const d = details();
    const channel = value('send.channel');
    const to = value('send.to');
    const res = await api('/api/v1/practice/patient-links', {
      json: { kind: 'new-referral', draft: d, ...(channel ? { send: { channel, to } } : {}) },
    });
    const out = document.getElementById('link-result');
    if (res.status === 201) {
      const url = `${document.location.origin}${res.body.url}`;
      const until = ukDate(res.body.expiresAt);
      out.replaceChildren();
      const p = document.createElement('p');
      if (res.body.sent) {
        // Queued: the hub sends it and retries; the practice need not copy anything.
        const by = res.body.sent.channel === 'email' ? 'email' : 'text message';
        p.textContent = `The link is on its way to ${to} by ${by}. It works once, until ${until}. If it does not arrive, give the patient this link:`;
      } else {
        p.textContent = `Send this link to the patient (it works once, until ${until}):`;
      }
      const code = document.createElement('code');
      code.id = 'patient-link-url';
      code.textContent = url;
      out.append(p, code);
      out.hidden = false;
    } else if (res.body.error && res.body.error.fields) {
      showFieldErrors(
        form,
        res.body.error.fields.map((f) => ({ ...f, field: f.field.replace(/^draft\./, '') })),
      );
    } else if (res.body.error && res.body.error.field) {
      // Where to send it (send.to, send.channel): shown beside that field.
      showFieldErrors(form, [{ field: res.body.error.field, message: res.body.error.message }]);
    } else {
      out.textContent = res.body.error ? res.body.error.message : 'The link could not be created.';
      out.hidden = false;
    }
  });
}

/** The reference the hub's emails, inbox and letters quote (src/shared/domain/case-reference.ts). */
function caseReference(caseId) {
  return `DD-${caseId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

/** 2026-12-07T09:00:00Z → 07/12/2026, the date as a UK practice writes it. */
function ukDate(iso) {
  return new Date(iso).toLocaleDateString('en-GB', { timeZone: 'Europe/London' });
}

setUpLogin({
  loginPath: '/api/v1/practice/login',
  describe: (body) => ({ name: body.practice.name, ods: body.practice.odsCode, user: body.practice.user }),
  onSignedIn: startPractice,
});
