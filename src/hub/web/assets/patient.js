/* global document, window */
import { api, clearFieldErrors, showFieldErrors, uploadPhotos } from './common.js';
import { setUpImagePicker } from './image-picker.js';

// The token is the last path segment of /p/<token>; it never leaves this origin (no-referrer).
const token = window.location.pathname.split('/').pop();
const form = document.getElementById('patient-form');
const picker = setUpImagePicker({ checkPath: `/api/v1/patient-links/${token}/image-check` });

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFieldErrors(form);
  const sending = document.getElementById('sending');
  const send = document.getElementById('send');
  sending.hidden = false;
  send.disabled = true;
  try {
    const uploads = await uploadPhotos(picker.images, `/api/v1/patient-links/${token}/photos`);
    if (uploads.error) return showFieldErrors(form, [uploads.error]);
    const body = {
      consent: document.getElementById('consent').checked,
      dateOfBirth: document.getElementById('dob').value,
      symptoms: document.getElementById('symptoms').value,
      images: uploads.images,
    };
    const res = await api(`/api/v1/patient-links/${token}/submit`, { json: body });
    if (res.status === 200) {
      form.hidden = true;
      document.getElementById('done').hidden = false;
      document.getElementById('done').scrollIntoView();
      return;
    }
    const error = res.body.error || { message: 'The photographs could not be sent.' };
    showFieldErrors(form, error.fields || [{ field: error.field || 'images', message: error.message }]);
  } finally {
    sending.hidden = true;
    send.disabled = false;
  }
});
