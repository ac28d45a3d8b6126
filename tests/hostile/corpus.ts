import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Fault } from '../support/fault-proxy';
import { dermoscopyFixtures } from '../support/fixtures';
import { sampleCase } from '../support/sample-case';

/**
 * The hostile input corpus: every kind of bad input DermDesk's doors must survive, as data,
 * generated at test time (nothing big is committed). Each entry says what it is and what each
 * door must answer. `hostile-input.test.ts` runs every entry through every entry point it can
 * reach; the expectations live here, beside the input, so a reviewer reads both at once.
 */

type MediaType = 'image/jpeg' | 'image/png' | 'image/webp';

export interface ImageEntry {
  name: string;
  what: string;
  /** What the sender claims the file is (a .jpg name, an image/jpeg field). */
  claimed: MediaType;
  /**
   * The Content-Type a browser sends the file to the upload check with: the File's own type, from
   * its name or its real kind (image/heic, image/gif, text/html...). The check must answer on the
   * bytes, never "send JSON" (the upload check is where a patient first sees a refusal).
   */
  browserType: string;
  bytes: () => Promise<Buffer>;
  /**
   * The workstation's derivation: refused with this DeriveError code and message, or derived
   * in the format the bytes really are (the claim is never trusted).
   */
  derive: { code: 'refused-format' | 'too-large' | 'corrupt'; message: RegExp } | { derivesAs: 'jpeg' | 'webp' };
  /**
   * The hub's intake (JSON referral, patient link, upload check): the message for that image. It
   * names the real reason: which type was sent and what is accepted, corrupt or cut off (truncated).
   */
  intake: RegExp;
  /** The intake field at fault (`data`: the bytes; `mediaType`: the claim). */
  field: 'data' | 'mediaType';
  /** Size is the attack: memory growth is measured around it. */
  sizeAttack?: boolean;
}

const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
};

const fixture = once(async () => readFileSync(dermoscopyFixtures()[0]!));

/** A good image for "nothing else lost" checks: the same real dermoscopy photograph. */
export const goodImage = fixture;

export const imageCorpus: ImageEntry[] = [
  {
    name: 'png-bomb-200mp',
    what: '20000 x 10000 PNG of one colour: a few hundred KB that would decode to 600 MB of pixels',
    claimed: 'image/png',
    browserType: 'image/png',
    bytes: once(() =>
      sharp({ create: { width: 20000, height: 10000, channels: 3, background: '#000' } })
        .png({ compressionLevel: 9 })
        .toBuffer(),
    ),
    derive: { code: 'too-large', message: /200 megapixels/ },
    intake: /too many pixels/,
    field: 'data',
    sizeAttack: true,
  },
  {
    name: 'jpeg-truncated-half',
    what: 'a real dermoscopy JPEG cut off half way (an interrupted upload)',
    claimed: 'image/jpeg',
    browserType: 'image/jpeg',
    bytes: once(async () => {
      const full = await fixture();
      return full.subarray(0, Math.floor(full.length / 2));
    }),
    derive: { code: 'corrupt', message: /incomplete|damaged/ },
    intake: /cut off \(truncated\): only part of the file arrived/,
    field: 'data',
  },
  {
    name: 'jpeg-corrupt-scan',
    what: 'a real JPEG with 2 KB of its compressed scan data scrambled (headers intact, pixels garbage)',
    claimed: 'image/jpeg',
    browserType: 'image/jpeg',
    bytes: once(async () => {
      const full = Buffer.from(await fixture());
      const sos = full.indexOf(Buffer.from([0xff, 0xda]));
      for (let i = sos + 200; i < sos + 2200; i++) full[i] = ((full[i] ?? 0) * 31 + 7) & 0xff;
      return full;
    }),
    // libjpeg reports scrambled scan data only as a warning: derivation decodes with failOn
    // 'warning' (as the hub's intake does), so garbage pixels are never shown as the patient's skin.
    derive: { code: 'corrupt', message: /damaged|incomplete/ },
    intake: /the image is corrupt: the whole file arrived/,
    field: 'data',
  },
  {
    name: 'jpeg-corrupt-body',
    what: 'a real JPEG at full length (end marker intact) with all of its scan data after the first 200 bytes scrambled',
    claimed: 'image/jpeg',
    browserType: 'image/jpeg',
    bytes: once(async () => {
      const full = Buffer.from(await fixture());
      const sos = full.indexOf(Buffer.from([0xff, 0xda]));
      for (let i = sos + 200; i < full.length - 2; i++) full[i] = ((full[i] ?? 0) * 31 + 7) & 0xff;
      return full;
    }),
    derive: { code: 'corrupt', message: /damaged|incomplete/ },
    intake: /the image is corrupt: the whole file arrived/,
    field: 'data',
  },
  {
    name: 'svg-as-jpg',
    what: 'an SVG drawing with a script, sent as image/jpeg (the browser labels the file image/svg+xml)',
    claimed: 'image/jpeg',
    browserType: 'image/svg+xml',
    bytes: once(async () =>
      Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ),
    derive: { code: 'refused-format', message: /SVG drawing/ },
    intake: /SVG drawing \(image\/svg\+xml\), not a photograph: the clinic accepts photographs as JPEG, PNG or WebP/,
    field: 'data',
  },
  {
    name: 'html-as-jpg',
    what: 'an HTML page with a script, sent as image/jpeg (the browser labels the file text/html)',
    claimed: 'image/jpeg',
    browserType: 'text/html',
    bytes: once(async () => Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>')),
    derive: { code: 'refused-format', message: /web page/ },
    intake: /web page \(text\/html\), not a photograph: the clinic accepts photographs as JPEG, PNG or WebP/,
    field: 'data',
  },
  {
    name: 'zero-bytes',
    what: 'an empty file',
    claimed: 'image/jpeg',
    browserType: 'application/octet-stream',
    bytes: once(async () => Buffer.alloc(0)),
    derive: { code: 'refused-format', message: /empty \(0 bytes\)/ },
    intake: /empty/,
    field: 'data',
  },
  {
    name: 'webp-claimed-jpeg',
    what: 'a real WebP photograph whose sender says it is a JPEG (wrong media type)',
    claimed: 'image/jpeg',
    browserType: 'image/jpeg',
    bytes: once(async () =>
      sharp(await fixture())
        .webp()
        .toBuffer(),
    ),
    // The workstation never trusts the claim: it sniffs WebP and derives it as WebP.
    derive: { derivesAs: 'webp' },
    intake: /declared image\/jpeg but the bytes are image\/webp/,
    field: 'mediaType',
  },
  {
    name: 'heic',
    what: 'an iPhone HEIC header (ftypheic), a format DermDesk cannot show; Safari labels it image/heic',
    claimed: 'image/jpeg',
    browserType: 'image/heic',
    bytes: once(async () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(64)])),
    derive: { code: 'refused-format', message: /HEIC/ },
    intake: /iPhone HEIC\/HEIF photo \(image\/heic\).*the clinic accepts photographs as JPEG, PNG or WebP/,
    field: 'data',
  },
  {
    name: 'gif',
    what: 'a real dermoscopy photograph saved as GIF (made with sharp), labelled image/gif by the browser',
    claimed: 'image/jpeg',
    browserType: 'image/gif',
    bytes: once(async () =>
      sharp(await fixture())
        .gif()
        .toBuffer(),
    ),
    derive: { code: 'refused-format', message: /not a JPEG, PNG or WebP/ },
    intake: /a GIF image \(image\/gif\): the clinic accepts photographs as JPEG, PNG or WebP/,
    field: 'data',
  },
  {
    name: 'tiff',
    what: 'a real dermoscopy photograph saved as TIFF (made with sharp), labelled image/tiff by the browser',
    claimed: 'image/jpeg',
    browserType: 'image/tiff',
    bytes: once(async () =>
      sharp(await fixture())
        .tiff()
        .toBuffer(),
    ),
    derive: { code: 'refused-format', message: /not a JPEG, PNG or WebP/ },
    intake: /a TIFF image \(image\/tiff\): the clinic accepts photographs as JPEG, PNG or WebP/,
    field: 'data',
  },
];

/**
 * Hostile names, wherever a name or path segment comes from outside: image URLs, the app
 * bundle's paths, the hub's image and patient-link routes. None may reach a file outside its
 * folder, a Windows device, or crash a resolver.
 */
export interface NameEntry {
  name: string;
  value: string;
}

export const nameCorpus: NameEntry[] = [
  { name: 'dot-dot-slash', value: '../../etc/passwd' },
  { name: 'dot-dot-backslash', value: '..\\..\\windows\\system32' },
  { name: 'absolute-posix', value: '/etc/passwd' },
  { name: 'absolute-windows', value: 'C:\\Windows' },
  { name: 'nul-inside', value: 'a\u0000b.jpg' },
  { name: 'windows-con', value: 'CON.jpg' },
  { name: 'windows-nul', value: 'NUL' },
  { name: 'windows-lpt1', value: 'LPT1.txt' },
  { name: 'very-long', value: `${'a'.repeat(4000)}.jpg` },
  { name: 'percent-encoded-dot-dot', value: '%2e%2e%2f%2e%2e%2fetc%2fpasswd' },
];

/** Oversize and hostile JSON, as the raw text a transport receives. */
export interface JsonEntry {
  name: string;
  what: string;
  text: () => string;
  sizeAttack?: boolean;
}

const depth = 100_000;
export const jsonCorpus: JsonEntry[] = [
  {
    name: 'json-20mb',
    what: 'a 20 MB string in an otherwise valid body',
    text: () => JSON.stringify({ text: 'x'.repeat(20 * 1024 * 1024) }),
    sizeAttack: true,
  },
  {
    name: 'json-nested-100k',
    what: '100,000 nested objects (a recursive parser or validator would overflow its stack)',
    text: () => `{"text":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
  },
  {
    name: 'json-proto-pollution',
    what: '__proto__ and constructor.prototype keys trying to add properties to every object',
    text: () => '{"text":"hi","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
  },
];

/**
 * Hostile hub responses, as faults for the loopback fault proxy (tests/support/fault-proxy.ts)
 * in front of a real hub: which request is hit, what comes back, and the error the sync client
 * must give. `otherHost` is filled in by the suite (a second loopback server).
 */
export interface HubResponseEntry {
  name: string;
  what: string;
  /** The request path the fault applies to. */
  hits: RegExp;
  fault: (ctx: { otherHost: string; path: string }) => Fault;
  error: RegExp;
  /** New cases the sync claims: 0 when the fault comes after the downloads (the changes feed). */
  claim: 0 | 1;
}

const caseRecord = /\/cases\/[0-9a-f-]{36}$/;

export const hubResponseCorpus: HubResponseEntry[] = [
  {
    name: 'hub-wrong-schema',
    what: 'a case record whose NHS number is not one',
    hits: caseRecord,
    fault: () => ({
      kind: 'json',
      body: { ...sampleCase(), patient: { ...sampleCase().patient, nhsNumber: 'not-a-number' } },
    }),
    error: /does not match the API \(patient\.nhsNumber/,
    claim: 1,
  },
  {
    name: 'hub-wrong-sha',
    what: 'image bytes with one byte flipped: they no longer hash to the manifest',
    hits: /\/images\//,
    fault: () => ({ kind: 'flip-byte', at: 100 }),
    error: /do not match the manifest's SHA-256/,
    claim: 1,
  },
  {
    name: 'hub-oversize-image',
    what: 'an image body 20 MB longer than its manifest size',
    hits: /\/images\//,
    fault: () => ({ kind: 'append', bytes: 20_000_000 }),
    error: /more than the \d+ bytes the manifest promised/,
    claim: 1,
  },
  {
    name: 'hub-case-for-another-case',
    what: 'a valid case record, but of another case than the one asked for',
    hits: caseRecord,
    fault: () => ({ kind: 'json', body: sampleCase() }),
    error: /with another case/,
    claim: 1,
  },
  {
    name: 'hub-html-not-json',
    what: 'an HTML error page (a captive portal, a proxy) with status 200',
    hits: /\/batches\/claim/,
    fault: () => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><title>Sign in to the Wi-Fi</title>',
    }),
    error: /not JSON/,
    claim: 1,
  },
  {
    name: 'hub-oversize-json',
    what: 'a 3 MB changes-feed page (the client accepts 2 MB of JSON)',
    hits: /\/changes/,
    fault: () => ({ kind: 'json', body: { cursor: 1, changes: [], pad: 'x'.repeat(3_000_000) } }),
    error: /larger than \d+ bytes and was refused/,
    claim: 0,
  },
  {
    name: 'hub-redirect-other-host',
    what: 'a 302 from the hub to another host for a case record',
    hits: caseRecord,
    fault: ({ otherHost, path }) => ({
      kind: 'raw',
      status: 302,
      headers: { location: `${otherHost}${path}` },
      body: '',
    }),
    // Never followed: another host's answer is never read as the hub's (hub-transport.ts).
    error: /302 redirect, which DermDesk does not follow/,
    claim: 1,
  },
  {
    name: 'hub-5gb-never-comes',
    what: 'Content-Length: 5 GB, a few bytes, then silence on an open socket',
    hits: /\/assigned/,
    fault: () => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'application/json', 'content-length': String(5 * 1024 ** 3) },
      body: '{"cases":[',
      hold: true,
    }),
    error: /did not answer in time/,
    claim: 1,
  },
];
