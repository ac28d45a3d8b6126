import type { LinkInfo } from '../../shared/hub-api/patient-link-api';
import { PLAIN_SAFETY_NET } from '../../shared/domain/plain-language-outcome';
import { londonDateOf } from '../../shared/domain/working-days';
import type { PatientOutcomeView } from '../patient-links/patient-outcome';
import { esc, page } from './html';
import { feedbackFormHtml } from './other-pages';

const REQUEST_TEXT: Record<string, string> = {
  dermoscopy: 'a dermoscopy photograph (your practice will tell you if you need to come in for this)',
  scale: 'a photograph with a coin or ruler beside the mark',
  'close-up': 'a close-up of the mark',
  overview: 'a photograph further away that shows where on your body the mark is',
  history: 'a few words about how it has changed',
};

/** The patient's page (phone first): what to photograph and how, consent, photos, symptoms. */
export function renderPatientPage(info: LinkInfo): string {
  const asked =
    info.kind === 'more-information'
      ? `<div class="card asked"><h2>What the skin specialist asked for</h2><ul>${info.requests.map((r) => `<li>${esc(REQUEST_TEXT[r] ?? r)}</li>`).join('')}</ul>${info.requestDetail ? `<p>${esc(info.requestDetail)}</p>` : ''}</div>`
      : '';
  return page({
    title: 'Send photographs of your skin',
    scripts: ['patient.js'],
    bodyClass: 'patient',
    body: `<h1>Send photographs of your skin</h1>
<p>Hello ${esc(info.givenName)}. ${esc(info.practiceName)} has asked you to send photographs of the mark on your skin to a skin specialist (dermatologist). This link works once and until ${esc(info.expiresAt.slice(0, 10))}.</p>
${asked}
<section class="card how" aria-labelledby="how-title">
<h2 id="how-title">How to take the photographs</h2>
<ol>
<li><strong>Overview:</strong> one photograph from about 30 cm away that shows where on your body the mark is.</li>
<li><strong>Close-up:</strong> one photograph as close as your camera can take a sharp picture.</li>
<li><strong>In focus:</strong> hold the phone steady and tap the mark on the screen to focus.</li>
<li><strong>Good light:</strong> daylight near a window is best. Do not use the flash.</li>
<li><strong>Scale:</strong> put a coin or a ruler beside the mark so the specialist can see its size.</li>
<li>Ask someone to help with marks you cannot see yourself.</li>
</ol>
</section>
<div id="done" class="card receipt" role="status" hidden><h2>Thank you</h2><p>Your photographs have been sent to the skin specialist. Your GP practice will contact you with the outcome. This link has now been used and will not work again.</p><p><a href="/feedback?from=patient">Tell us how this went</a></p></div>
<form id="patient-form" novalidate>
<div id="error-summary" class="error-summary" role="alert" tabindex="-1" hidden><h2>There is a problem</h2><ul></ul></div>
<div class="field"><label for="dob">Your date of birth</label><p class="hint">So we know the photographs are yours.</p><p class="field-error" data-error-for="dateOfBirth" hidden></p><input id="dob" name="dateOfBirth" type="date" data-field="dateOfBirth"></div>
<fieldset><legend>Photographs</legend>
<p class="field-error" data-error-for="images" hidden></p>
<div class="add-image">
<label for="image-kind">Which photograph is this?</label>
<select id="image-kind"><option value="overview">Overview (where it is)</option><option value="close-up">Close-up</option></select>
<label for="image-file" class="button-like">Take or choose a photograph</label>
<input id="image-file" type="file" accept="image/jpeg,image/png,image/webp" class="file-input">
</div>
<div id="image-check" class="image-check" role="status" aria-live="polite" hidden></div>
<ul id="image-list" class="image-list" aria-label="Photographs to send"></ul>
</fieldset>
<div class="field"><label for="symptoms">Anything else? How long has it been there, has it changed, does it itch or bleed?</label><textarea id="symptoms" name="symptoms" rows="4" data-field="symptoms"></textarea></div>
<p class="field-error" data-error-for="consent" hidden></p>
<label class="check"><input type="checkbox" id="consent" name="consent" data-field="consent"> I agree to send these photographs and details to the skin specialist for my care.</label>
<button type="submit" id="send">Send photographs</button> <span id="sending" role="status" hidden>Sending…</span>
</form>`,
  });
}

/** The page a spent, expired or unknown link gets: says what to do, shows nothing of the case. */
export function renderLinkRefusedPage(why: 'unknown' | 'expired' | 'spent' | 'locked'): string {
  const message = {
    locked: [
      'This link has been locked',
      'The date of birth was entered wrongly too many times. Your GP practice has been told; ask them for a new link.',
    ],
    expired: ['This link has expired', 'Links work for a limited time. Ask your GP practice to send you a new one.'],
    spent: [
      'This link has already been used',
      'Your photographs were sent. If you need to send more, ask your GP practice for a new link.',
    ],
    unknown: ['This link is not valid', 'Check it was copied in full, or ask your GP practice to send it again.'],
  }[why];
  return page({
    title: message[0]!,
    bodyClass: 'patient',
    body: `<div class="card refused" role="alert" data-refused="${why}"><h1>${esc(message[0])}</h1><p>${esc(message[1])}</p></div>`,
  });
}

/**
 * A used link's page once the outcome is signed and the practice opted in: the outcome in plain
 * words (no diagnosis, nothing meant for the GP), who will contact the patient, where to turn if
 * worried, and the feedback form.
 */
export function renderPatientOutcomePage(view: PatientOutcomeView): string {
  const [y, m, d] = londonDateOf(view.decidedAt).split('-');
  return page({
    title: 'What happens next',
    scripts: ['feedback.js'],
    bodyClass: 'patient',
    body: `<h1>What happens next</h1>
<p>Hello ${esc(view.givenName)}. A skin specialist has looked at your photographs (${esc(`${d}/${m}/${y}`)}).</p>
<section class="card outcome" aria-labelledby="outcome-title" data-outcome>
<h2 id="outcome-title">What the skin specialist decided</h2>
<p class="headline">${esc(view.plain.headline)}</p>
${view.plain.next.map((line) => `<p>${esc(line)}</p>`).join('\n')}
<p>${esc(PLAIN_SAFETY_NET)}</p>
<p>Your GP practice is ${esc(view.practiceName)}.</p>
</section>
<section class="card" aria-labelledby="feedback-title">
<h2 id="feedback-title">Tell us how this went</h2>
${feedbackFormHtml({ patientOnly: true })}
</section>`,
  });
}
