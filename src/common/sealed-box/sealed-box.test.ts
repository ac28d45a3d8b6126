import { describe, expect, it } from 'vitest';
import { SEALED_ENTRY_MAX_BYTES } from '../../shared/hub-api/sealed-outbox';
import {
  generateSealingKeyPair,
  openSealed,
  readSealedHeader,
  seal,
  SealedBoxError,
  sealingKeyPairFromPem,
} from './sealed-box';

const header = {
  kind: 'decision',
  refId: '3f1c2b9a-1111-4222-8333-444455556666',
  consultantId: 'c-1',
  createdAt: '2026-11-23T10:00:00.000Z',
};
const patient = { name: 'Ada Lovelace', nhsNumber: '9434765919' };
const content = {
  kind: 'decision',
  refId: header.refId,
  consultantId: 'c-1',
  payload: { caseId: 'case-1', patient, plan: 'Emollients twice daily' },
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SealedBoxError) return error.code;
    throw error;
  }
  return 'opened';
}

describe('sealed box (outbox journal encryption to the hub)', () => {
  const hub = generateSealingKeyPair();

  it('round-trips: only the hub key opens what was sealed to it', () => {
    const box = seal(hub, header, content);
    const opened = openSealed(hub, box);
    expect(opened.content).toEqual(content);
    expect(opened.header).toMatchObject({ ...header, v: 1, keyId: hub.keyId });
    // A key pair restored from its PEM (as the hub stores it) opens it too.
    const pem = hub.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(openSealed(sealingKeyPairFromPem(pem), box).content).toEqual(content);
    // Each seal uses a fresh ephemeral key: the same content never gives the same bytes.
    expect(seal(hub, header, content).equals(box)).toBe(false);
  });

  it('holds no patient data in clear: the bytes name neither the patient nor the NHS number', () => {
    const box = seal(hub, header, content);
    const text = box.toString('latin1');
    for (const secret of [patient.name, 'Lovelace', patient.nhsNumber, 'Emollients'])
      expect(text.includes(secret)).toBe(false);
    // The header (readable without a key) carries kind, reference and consultant only.
    expect(Object.keys(readSealedHeader(box).header).sort()).toEqual(
      ['consultantId', 'createdAt', 'keyId', 'kind', 'refId', 'v'].sort(),
    );
  });

  it('refuses a box sealed to another hub key with sealed-wrong-key', () => {
    const other = generateSealingKeyPair();
    expect(codeOf(() => openSealed(other, seal(hub, header, content)))).toBe('sealed-wrong-key');
  });

  it('refuses any flipped byte (ciphertext, tag, ephemeral key, header) with sealed-tampered', () => {
    const box = seal(hub, header, content);
    const { headerEnd } = readSealedHeader(box);
    for (const at of [headerEnd + 3, headerEnd + 40, box.length - 1, box.length - 20]) {
      const bad = Buffer.from(box);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      expect(codeOf(() => openSealed(hub, bad))).toBe('sealed-tampered');
    }
    // A header edit that still parses (another consultant claimed) breaks the associated data.
    const forged = Buffer.from(box.toString('latin1').replace('"c-1"', '"c-2"'), 'latin1');
    expect(codeOf(() => openSealed(hub, forged))).toBe('sealed-tampered');
  });

  it('refuses truncated, empty, foreign and oversize input with a specific error, no crash', () => {
    const box = seal(hub, header, content);
    expect(codeOf(() => openSealed(hub, box.subarray(0, box.length - 5)))).toBe('sealed-tampered');
    expect(codeOf(() => openSealed(hub, box.subarray(0, 40)))).toBe('sealed-truncated');
    expect(codeOf(() => openSealed(hub, Buffer.alloc(0)))).toBe('sealed-truncated');
    expect(codeOf(() => openSealed(hub, Buffer.from('<html><script>alert(1)</script></html>')))).toBe(
      'sealed-bad-format',
    );
    expect(codeOf(() => openSealed(hub, Buffer.alloc(SEALED_ENTRY_MAX_BYTES + 1)))).toBe('sealed-too-large');
    // A header length pointing past the end of the file.
    const lying = Buffer.from(box);
    lying.writeUInt16BE(0xffff, 8);
    expect(codeOf(() => openSealed(hub, lying))).toBe('sealed-truncated');
  });
});
