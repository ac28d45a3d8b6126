/* global document, window */
// Shared by the hub's pages: the practice/operator session, JSON calls and field errors.

// One session per role: a practice signed in on /gp must not be taken for the operator on /ops.
let scope = 'practice';
const tokenKey = () => `dermdesk.hub.${scope}.token`;
const whoKey = () => `dermdesk.hub.${scope}.who`;

export function session() {
  const token = sessionStorage.getItem(tokenKey());
  return token ? { token, who: JSON.parse(sessionStorage.getItem(whoKey()) || '{}') } : null;
}

export function signOut() {
  sessionStorage.removeItem(tokenKey());
  sessionStorage.removeItem(whoKey());
  window.location.reload();
}

/** fetch with the session token; resolves { status, body } and never throws on HTTP errors. */
export async function api(path, options = {}) {
  const s = session();
  const headers = { ...(options.headers || {}) };
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method: options.method || (options.json !== undefined || options.body ? 'POST' : 'GET'),
      headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
    });
  } catch {
    return {
      status: 0,
      body: { error: { code: 'network', message: 'The hub cannot be reached. Check the connection and try again.' } },
    };
  }
  if (res.status === 401 && s && !options.noAuthReset) {
    sessionStorage.removeItem(tokenKey());
    // Sessions expire (12 hours; an email read days later): ask for the sign-in again here,
    // over the page, so a half-filled referral is not lost to a reload.
    if (askSignInAgain) askSignInAgain();
  }
  const type = res.headers.get('content-type') || '';
  const body = type.includes('json') ? await res.json() : await res.blob();
  return { status: res.status, body };
}

let askSignInAgain = null;

/**
 * Wires a sign-in form; calls onSignedIn() when a session exists or once sign-in succeeds. When
 * the session expires later (a call answers 401), the form shows again over the page and
 * onSignedInAgain() runs after the new sign-in (reload what failed); the page keeps its state.
 */
export function setUpLogin({ loginPath, describe, onSignedIn, onSignedInAgain, role = 'practice' }) {
  scope = role;
  const section = document.getElementById('login');
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  let started = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const res = await api(loginPath, {
      json: { username: form.username.value, password: form.password.value },
      noAuthReset: true,
    });
    if (res.status !== 200) {
      error.textContent = res.body.error ? res.body.error.message : 'Sign-in failed.';
      error.hidden = false;
      return;
    }
    sessionStorage.setItem(tokenKey(), res.body.token);
    sessionStorage.setItem(whoKey(), JSON.stringify(describe(res.body)));
    section.hidden = true;
    form.password.value = '';
    if (!started) {
      started = true;
      onSignedIn(session());
    } else if (onSignedInAgain) onSignedInAgain(session());
  });
  askSignInAgain = () => {
    if (!started || !section.hidden) return;
    error.textContent = 'Your sign-in has expired. Sign in again to carry on; nothing on this page is lost.';
    error.hidden = false;
    section.hidden = false;
    section.scrollIntoView();
    document.getElementById('login-username').focus();
  };
  if (session()) {
    started = true;
    return onSignedIn(session());
  }
  section.hidden = false;
  document.getElementById('login-username').focus();
}

/** Shows field errors beside their fields and in the error summary (links move focus). */
export function showFieldErrors(root, fields) {
  clearFieldErrors(root);
  const summary = root.querySelector('#error-summary') || document.getElementById('error-summary');
  const list = summary.querySelector('ul');
  for (const f of fields) {
    const slot = findSlot(root, f.field);
    if (slot) {
      slot.textContent = f.message;
      slot.hidden = false;
    }
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = '#';
    // The hub's messages name their field (src/shared/hub-api/field-messages.ts): shown as sent.
    a.textContent = f.message;
    a.addEventListener('click', (e) => {
      e.preventDefault();
      const input = root.querySelector(`[data-field="${cssEscape(f.field)}"]`);
      if (input) input.focus();
    });
    li.append(a);
    list.append(li);
  }
  summary.hidden = false;
  summary.focus();
}

export function clearFieldErrors(root) {
  for (const slot of root.querySelectorAll('[data-error-for]')) {
    slot.textContent = '';
    slot.hidden = true;
  }
  const summary = document.getElementById('error-summary');
  if (summary) {
    summary.hidden = true;
    summary.querySelector('ul').replaceChildren();
  }
}

function findSlot(root, field) {
  // images.1.data → images; referral.consent.given → itself, else its parent
  for (let f = field; f; f = f.includes('.') ? f.slice(0, f.lastIndexOf('.')) : '') {
    const slot = root.querySelector(`[data-error-for="${cssEscape(f)}"]`);
    if (slot) return slot;
  }
  return null;
}

function cssEscape(value) {
  return value.replace(/["\\]/g, '\\$&');
}

/**
 * Sends each photograph on its own, as the file's own bytes and type, to the hub's streamed
 * upload door (never base64 in JSON), and resolves the references the referral or answer then
 * cites: { images: [{ kind, uploadId }] }, or { error: { field, message } } naming the first
 * photograph the hub refused (and why).
 */
export async function uploadPhotos(photos, path) {
  const images = [];
  for (const [i, photo] of photos.entries()) {
    // Sent once: a second press of "send" (after a field error) cites the same upload.
    if (!photo.uploadId) {
      const res = await api(path, {
        method: 'POST',
        body: photo.file,
        headers: { 'content-type': photo.file.type || 'application/octet-stream' },
      });
      if (res.status !== 201) {
        const message = res.body.error ? res.body.error.message : 'The photograph could not be sent.';
        return { error: { field: 'images', message: photos.length > 1 ? `Photograph ${i + 1}: ${message}` : message } };
      }
      photo.uploadId = res.body.uploadId;
    }
    images.push({ kind: photo.kind, uploadId: photo.uploadId });
  }
  return { images };
}
