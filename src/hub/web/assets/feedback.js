/* global document */
import { api } from './common.js';

const form = document.getElementById('feedback-form');
if (new URLSearchParams(document.location.search).get('from') === 'practice') form.source.value = 'practice';
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const slot = form.querySelector('[data-error-for="rating"]');
  slot.hidden = true;
  const rating = Number(form.rating.value || 0);
  const res = await api('/api/v1/feedback', {
    json: { source: form.source.value, rating, comment: form.comment.value },
  });
  if (res.status === 201) {
    form.hidden = true;
    document.getElementById('thanks').hidden = false;
    return;
  }
  const fields = (res.body.error && res.body.error.fields) || [];
  slot.textContent = fields.length
    ? fields.map((f) => f.message).join('; ')
    : res.body.error
      ? res.body.error.message
      : 'Not sent.';
  slot.hidden = false;
});
