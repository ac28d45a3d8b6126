import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import {
  SEALED_ENTRY_MAX_BYTES,
  sealedContentSchema,
  sealedHeaderSchema,
  type SealedContent,
  type SealedHeader,
} from '../../shared/hub-api/sealed-outbox';

/**
 * A sealed box to the hub (an ECIES construction from node:crypto parts): an ephemeral X25519
 * key agrees a secret with the hub's public key, HKDF-SHA256 turns it into an AES-256-GCM key,
 * and the cleartext header (kind, ref id, consultant, key id: never patient data) is bound to
 * the ciphertext as associated data. Only the holder of the hub's private key can open it; the
 * workstation cannot read its own entries back, which is the point: they survive the loss of
 * the cache key without being a second, weaker copy of the cache.
 *
 * Layout: "DDSEAL01" | u16 header length | header JSON | 32-byte ephemeral public key |
 * 12-byte nonce | ciphertext | 16-byte GCM tag.
 *
 * Used by the workstation (seal) and by the hub (open); plain node:crypto, no other state.
 */
const MAGIC = Buffer.from('DDSEAL01', 'ascii');
const INFO = Buffer.from('dermdesk sealed-outbox v1', 'ascii');
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type SealedBoxErrorCode =
  'sealed-too-large' | 'sealed-truncated' | 'sealed-bad-format' | 'sealed-wrong-key' | 'sealed-tampered';

/** Why a sealed entry could not be opened; `code` is stable, `message` says what to do. */
export class SealedBoxError extends Error {
  constructor(
    readonly code: SealedBoxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SealedBoxError';
  }
}

export interface SealingPublicKey {
  keyId: string;
  /** The raw 32-byte X25519 public key. */
  raw: Buffer;
}

export interface SealingKeyPair extends SealingPublicKey {
  privateKey: KeyObject;
}

export function keyIdOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
}

function rawOf(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.x) throw new Error('not an X25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function generateSealingKeyPair(): SealingKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const raw = rawOf(publicKey);
  return { privateKey, raw, keyId: keyIdOf(raw) };
}

/** A key pair from its PKCS#8 PEM (as the hub stores it). */
export function sealingKeyPairFromPem(pem: string): SealingKeyPair {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'x25519') throw new Error('The sealing key is not an X25519 key.');
  const raw = rawOf(createPublicKey(privateKey));
  return { privateKey, raw, keyId: keyIdOf(raw) };
}

function deriveKey(shared: Buffer, ephemeralRaw: Buffer, recipientRaw: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipientRaw]), INFO, KEY_BYTES));
}

/** Seals `content` to `recipient`; `header` travels in clear (and authenticated). */
export function seal(
  recipient: SealingPublicKey,
  header: Omit<SealedHeader, 'keyId' | 'v'>,
  content: SealedContent,
): Buffer {
  const fullHeader: SealedHeader = sealedHeaderSchema.parse({ v: 1, ...header, keyId: recipient.keyId });
  const headerBytes = Buffer.from(JSON.stringify(fullHeader), 'utf8');
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = rawOf(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyFromRaw(recipient.raw) });
  const key = deriveKey(shared, ephemeralRaw, recipient.raw);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(headerBytes.length);
  const prefix = Buffer.concat([MAGIC, length, headerBytes]);
  cipher.setAAD(prefix);
  const body = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
  const box = Buffer.concat([prefix, ephemeralRaw, nonce, body, cipher.getAuthTag()]);
  if (box.length > SEALED_ENTRY_MAX_BYTES)
    throw new SealedBoxError('sealed-too-large', 'This outbox entry is too large for the sealed journal.');
  return box;
}

/** Reads the cleartext header without opening the box (the workstation needs no key for it). */
export function readSealedHeader(box: Buffer): { header: SealedHeader; headerEnd: number } {
  if (box.length > SEALED_ENTRY_MAX_BYTES)
    throw new SealedBoxError('sealed-too-large', `A sealed entry is at most ${SEALED_ENTRY_MAX_BYTES} bytes.`);
  if (box.length < MAGIC.length + 2) throw new SealedBoxError('sealed-truncated', 'The sealed entry is truncated.');
  if (!box.subarray(0, MAGIC.length).equals(MAGIC))
    throw new SealedBoxError('sealed-bad-format', 'This is not a DermDesk sealed outbox entry.');
  const headerLength = box.readUInt16BE(MAGIC.length);
  const headerEnd = MAGIC.length + 2 + headerLength;
  if (box.length < headerEnd + KEY_BYTES + NONCE_BYTES + TAG_BYTES)
    throw new SealedBoxError('sealed-truncated', 'The sealed entry is truncated.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(box.subarray(MAGIC.length + 2, headerEnd).toString('utf8'));
  } catch {
    throw new SealedBoxError('sealed-bad-format', 'The sealed entry header is not readable.');
  }
  const header = sealedHeaderSchema.safeParse(parsed);
  if (!header.success) throw new SealedBoxError('sealed-bad-format', 'The sealed entry header is not valid.');
  return { header: header.data, headerEnd };
}

/** Opens a box sealed to `keyPair`. Any change to any byte is refused (`sealed-tampered`). */
export function openSealed(keyPair: SealingKeyPair, box: Buffer): { header: SealedHeader; content: SealedContent } {
  const { header, headerEnd } = readSealedHeader(box);
  if (header.keyId !== keyPair.keyId)
    throw new SealedBoxError(
      'sealed-wrong-key',
      `This entry was sealed to another hub key (${header.keyId}); send it to the hub that holds that key.`,
    );
  const ephemeralRaw = box.subarray(headerEnd, headerEnd + KEY_BYTES);
  const nonce = box.subarray(headerEnd + KEY_BYTES, headerEnd + KEY_BYTES + NONCE_BYTES);
  const body = box.subarray(headerEnd + KEY_BYTES + NONCE_BYTES, box.length - TAG_BYTES);
  const tag = box.subarray(box.length - TAG_BYTES);
  let plain: Buffer;
  try {
    const shared = diffieHellman({ privateKey: keyPair.privateKey, publicKey: publicKeyFromRaw(ephemeralRaw) });
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(shared, ephemeralRaw, keyPair.raw), nonce);
    decipher.setAAD(box.subarray(0, headerEnd));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new SealedBoxError('sealed-tampered', 'The sealed entry was altered or damaged and cannot be opened.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain.toString('utf8'));
  } catch {
    throw new SealedBoxError('sealed-bad-format', 'The sealed entry content is not readable.');
  }
  const content = sealedContentSchema.safeParse(parsed);
  if (
    !content.success ||
    content.data.kind !== header.kind ||
    content.data.refId !== header.refId ||
    content.data.consultantId !== header.consultantId
  )
    throw new SealedBoxError('sealed-bad-format', 'The sealed entry content does not match its header.');
  return { header, content: content.data };
}
