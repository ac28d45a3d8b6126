/* global document */
import { api, setUpLogin, signOut, uploadPhotos } from './common.js';

const STATUS = {
  open: 'Awaiting triage',
  'awaiting-information': 'More information requested',
  decided: 'Outcome received',
  withdrawn: 'Withdrawn',
};

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children.filter(Boolean));
  return node;
}

async function load() {
  const list = document.getElementById('inbox-list');
  const needsActionOnly = document.getElementById('needs-action-only').checked;
  const res = await api(`/api/v1/practice/inbox${needsActionOnly ? '?filter=needs-action' : ''}`);
  const error = document.getElementById('inbox-error');
  if (res.status !== 200) {
    error.textContent = res.body.error ? res.body.error.message : 'The inbox could not be loaded.';
    error.hidden = false;
    return;
  }
  error.hidden = true;
  const empty = document.getElementById('inbox-empty');
  empty.textContent = needsActionOnly ? 'Nothing needs action.' : 'No referrals from your practice yet.';
  empty.hidden = res.body.items.length > 0;
  patientCopy = res.body.patientCopy === true;
  list.replaceChildren(...res.body.items.map(renderItem));
  showLinkedCase(list);
  const locked = res.body.lockedLinks || [];
  document.getElementById('locked-links').hidden = locked.length === 0;
  document.getElementById('locked-links-list').replaceChildren(
    ...locked.map((l) =>
      el('li', {
        text: `${l.patientName || 'A patient'}: ${l.kind === 'new-referral' ? 'new referral' : 'more information'} link locked ${ukTime(l.lockedAt)} after ${l.failures} wrong dates of birth`,
      }),
    ),
  );
}

/**
 * The hub's emails link to /gp/inbox?case=<id>: that referral is brought into view, marked and
 * focused, so the reader does not have to find it among the others (once per page load).
 */
let linkedShown = false;
function showLinkedCase(list) {
  const caseId = new URLSearchParams(document.location.search).get('case');
  if (!caseId || linkedShown) return;
  const item = [...list.children].find((li) => li.dataset.caseId === caseId.toLowerCase());
  if (!item) return;
  linkedShown = true;
  item.classList.add('linked');
  item.setAttribute('aria-current', 'true');
  item.tabIndex = -1;
  item.scrollIntoView({ block: 'start' });
  item.focus();
}

/** The practice opted in to the patient's plain-language copy (the inbox response says). */
let patientCopy = false;

/** A button that downloads one of the outcome's PDFs with the practice's token. */
function pdfButton(label, path, fileName) {
  return el('button', {
    type: 'button',
    class: 'secondary',
    text: label,
    onclick: async () => {
      const res = await api(path);
      if (res.status !== 200) return;
      const a = el('a', { href: URL.createObjectURL(res.body), download: fileName });
      document.body.append(a);
      a.click();
      a.remove();
    },
  });
}

function renderItem(item) {
  const p = item.patient;
  const li = el('li', { class: `inbox-item status-${item.status}`, 'data-case-id': item.caseId });
  li.append(
    el('h2', {
      text: `${p.givenName} ${p.familyName} · NHS ${p.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3')}`,
    }),
    el('p', {
      class: 'meta',
      text: `Ref ${item.reference} · ${item.presentingComplaint} · received ${ukDate(item.receivedAt)}`,
    }),
    el('p', { class: 'status', text: STATUS[item.status] || item.status }),
  );
  if (item.needsAction) li.append(el('p', { class: 'needs-action', text: 'Needs action' }));
  const o = item.outcome;
  if (!o) return li;
  const outcome = el(
    'div',
    { class: 'outcome' },
    el('h3', { class: 'outcome-label', text: o.label }),
    el('p', { text: o.description }),
    o.diagnosis ? el('p', { text: `Diagnosis: ${o.diagnosis.label}` }) : null,
    o.plan.adviceToGp ? el('p', { class: 'advice', text: `Advice: ${o.plan.adviceToGp}` }) : null,
    o.plan.safetyNetting ? el('p', { text: `Safety-netting: ${o.plan.safetyNetting}` }) : null,
    o.downgradeAdvice
      ? el('p', { class: 'downgrade', text: `Advice about your suspected-cancer referral: ${o.downgradeAdvice}` })
      : null,
    item.actions.length > 0
      ? el(
          'div',
          { class: 'practice-actions' },
          el('h4', { text: 'What the practice must do' }),
          el('ul', {}, ...item.actions.map((a) => el('li', { class: `priority-${a.priority}`, text: a.text }))),
        )
      : null,
    el('p', { class: 'signed', text: signedLine(o) }),
  );
  const outcomePath = `/api/v1/practice/cases/${item.caseId}/outcomes/${o.decisionId}`;
  const letter = pdfButton(
    'Download letter (PDF)',
    `${outcomePath}/letter.pdf`,
    `outcome-${item.caseId.slice(0, 8)}.pdf`,
  );
  const copy = patientCopy
    ? pdfButton(
        "Download patient's copy (PDF)",
        `${outcomePath}/patient-copy.pdf`,
        `patient-copy-${item.caseId.slice(0, 8)}.pdf`,
      )
    : null;
  const ackText = el('span', {
    class: 'ack',
    text: o.acknowledgedAt ? `Acknowledged ${ukTime(o.acknowledgedAt)}` : '',
  });
  const ack = o.acknowledgedAt
    ? null
    : el('button', {
        type: 'button',
        text: 'Acknowledge',
        onclick: async (event) => {
          const res = await api(`/api/v1/practice/cases/${item.caseId}/outcomes/${o.decisionId}/acknowledge`, {
            method: 'POST',
          });
          if (res.status === 200) {
            ackText.textContent = `Acknowledged ${ukTime(res.body.acknowledgedAt)}`;
            event.target.remove();
          }
        },
      });
  outcome.append(el('div', { class: 'actions' }, letter, copy, ack, ackText));
  if (o.outcome.kind === 'more-information' && item.status === 'awaiting-information' && !o.answeredAt)
    outcome.append(answerForm(item));
  if (o.answeredAt)
    outcome.append(el('p', { class: 'answered', text: `Answered ${ukDate(o.answeredAt)}: back with the consultant.` }));
  li.append(outcome);
  return li;
}

function answerForm(item) {
  const id = item.caseId.slice(0, 8);
  const note = el('textarea', { id: `note-${id}`, rows: '3' });
  const kind = el(
    'select',
    { id: `kind-${id}` },
    ...['overview', 'close-up', 'dermoscopy'].map((k) => el('option', { value: k, text: k })),
  );
  const files = el('input', {
    id: `files-${id}`,
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp',
    multiple: '',
  });
  const message = el('p', { class: 'error', role: 'alert', hidden: '' });
  const linkOut = el('p', { class: 'receipt', role: 'status', hidden: '' });
  const send = el('button', {
    type: 'submit',
    text: 'Send to the consultant',
  });
  const form = el(
    'form',
    {
      class: 'answer',
      onsubmit: async (event) => {
        event.preventDefault();
        const uploads = await uploadPhotos(
          [...files.files].map((file) => ({ kind: kind.value, file })),
          '/api/v1/uploads/photos',
        );
        if (uploads.error) {
          message.textContent = uploads.error.message;
          message.hidden = false;
          return;
        }
        const images = uploads.images;
        const res = await api(`/api/v1/practice/cases/${item.caseId}/information`, {
          json: { note: note.value, images },
        });
        if (res.status === 200) return load();
        message.textContent = res.body.error
          ? res.body.error.fields
            ? res.body.error.fields.map((f) => `${f.field}: ${f.message}`).join('; ')
            : res.body.error.message
          : 'Not sent.';
        message.hidden = false;
      },
    },
    el('h3', { text: 'Answer the request' }),
    el('label', { for: `note-${id}`, text: 'What you are sending' }),
    note,
    el('label', { for: `kind-${id}`, text: 'Kind of photograph' }),
    kind,
    el('label', { for: `files-${id}`, text: 'Photographs' }),
    files,
    message,
    send,
    el('button', {
      type: 'button',
      class: 'secondary',
      text: 'Send the patient a link instead',
      onclick: async () => {
        const res = await api('/api/v1/practice/patient-links', {
          json: { kind: 'more-information', caseId: item.caseId },
        });
        linkOut.textContent =
          res.status === 201
            ? `Send this link to the patient: ${document.location.origin}${res.body.url}`
            : res.body.error
              ? res.body.error.message
              : 'No link created.';
        linkOut.hidden = false;
      },
    }),
    linkOut,
  );
  return form;
}

setUpLogin({
  loginPath: '/api/v1/practice/login',
  describe: (body) => ({ name: body.practice.name, ods: body.practice.odsCode, user: body.practice.user }),
  onSignedIn: (session) => {
    document.getElementById('practice-nav').hidden = false;
    document.getElementById('practice-name').textContent = `${session.who.name || ''} · ${session.who.user || ''}`;
    document.getElementById('sign-out').addEventListener('click', signOut);
    document.getElementById('inbox').hidden = false;
    document.getElementById('needs-action-only').addEventListener('change', () => void load());
    void load();
  },
  onSignedInAgain: () => void load(),
});

/** A UK date, as the practice writes it (30/11/2026). */
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

/** The signer as the hub registered them, and both clocks when they differ. */
function signedLine(o) {
  const who = `${o.signedBy.displayName}${o.gmcNumber ? ` (GMC ${o.gmcNumber})` : ''}`;
  const signed = ukTime(o.signedAt);
  const received = ukTime(o.receivedByHubAt);
  return signed === received
    ? `${who}, signed ${signed}`
    : `${who}, signed ${signed} (workstation clock); received by the hub ${received}`;
}
