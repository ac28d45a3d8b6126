/* global document */
import { api } from './common.js';

/**
 * Adds photographs one at a time: each is sent to the hub's quality check as it is chosen
 * (resolution, blur, exposure). A failed check asks for a retake while the patient is still
 * there; the user may retake (the usual answer) or keep it anyway with the reason shown.
 */
export function setUpImagePicker({ checkPath, headers = {} }) {
  const kind = document.getElementById('image-kind');
  const file = document.getElementById('image-file');
  const status = document.getElementById('image-check');
  const list = document.getElementById('image-list');
  const images = [];

  const render = () => {
    list.replaceChildren(
      ...images.map((img, i) => {
        const li = document.createElement('li');
        li.className = img.flagged ? 'flagged' : '';
        const thumb = document.createElement('img');
        thumb.src = img.preview;
        thumb.alt = `${img.kind} photograph ${i + 1}`;
        const label = document.createElement('span');
        label.textContent = `${img.kind}${img.flagged ? ' (kept despite: ' + img.flagged + ')' : ''}`;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'link';
        remove.textContent = 'Remove';
        remove.setAttribute('aria-label', `Remove ${img.kind} photograph ${i + 1}`);
        remove.addEventListener('click', () => {
          images.splice(i, 1);
          render();
        });
        li.append(thumb, label, remove);
        return li;
      }),
    );
  };

  const showStatus = (cls, nodes) => {
    status.className = `image-check ${cls}`;
    status.replaceChildren(...nodes);
    status.hidden = false;
  };

  file.addEventListener('change', async () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    showStatus('checking', [text('p', 'Checking the photograph…')]);
    const res = await api(checkPath, {
      method: 'POST',
      body: chosen,
      headers: { ...headers, 'content-type': chosen.type || 'application/octet-stream' },
    });
    file.value = '';
    if (res.status !== 200) {
      showStatus('bad', [text('p', res.body.error ? res.body.error.message : 'The photograph could not be checked.')]);
      return;
    }
    const report = res.body;
    const entry = { kind: kind.value, file: chosen, preview: URL.createObjectURL(chosen), flagged: '' };
    if (report.ok) {
      images.push(entry);
      render();
      showStatus('good', [text('p', `Photograph added (${report.width}×${report.height}, sharp and well lit).`)]);
      return;
    }
    const retake = button('Retake photograph', 'retake', () => {
      status.hidden = true;
      file.click();
    });
    const keep = button('Use this one anyway', 'keep', () => {
      entry.flagged = report.issues.map((i) => i.issue).join(', ');
      images.push(entry);
      render();
      status.hidden = true;
    });
    showStatus('bad retake-prompt', [
      text('h3', 'Please take this photograph again'),
      list2(report.issues.map((i) => i.message)),
      retake,
      keep,
    ]);
    status.setAttribute('role', 'alert');
    retake.focus();
  });

  return { images, reset: () => (images.splice(0), render(), (status.hidden = true)) };
}

function text(tag, value) {
  const el = document.createElement(tag);
  el.textContent = value;
  return el;
}
function list2(items) {
  const ul = document.createElement('ul');
  for (const item of items) ul.append(text('li', item));
  return ul;
}
function button(label, cls, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}
