/* global document */
import { api } from './common.js';

const form = document.getElementById('password-form');
const error = document.getElementById('form-error');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  if (form.new.value !== form.repeat.value) {
    error.textContent = 'The two new passwords are not the same.';
    error.hidden = false;
    return;
  }
  const res = await api('/api/v1/auth/password', {
    json: { username: form.username.value, currentPassword: form.current.value, newPassword: form.new.value },
  });
  if (res.status === 204) {
    form.hidden = true;
    document.getElementById('done').hidden = false;
    return;
  }
  const fields = (res.body && res.body.error && res.body.error.fields) || [];
  error.textContent = fields.length
    ? fields.map((f) => f.message).join('; ')
    : res.body && res.body.error
      ? res.body.error.message
      : 'Not changed; try again.';
  error.hidden = false;
});
