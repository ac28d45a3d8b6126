import type { FastifyRequest } from 'fastify';
import type { HubRepository } from '../store/hub-repository';
import type { ObjectStore } from '../store/object-store';
import type { Letterhead } from '../../common/letters/letterhead';

/** Who is calling, as the hub core's token auth resolves it. */
export interface Caller {
  userId: string;
  username: string;
  displayName: string;
  role: string;
}

/**
 * What the other doors need from the hub core, as one small port, so they plug into the core's
 * Fastify server without reaching into it: the hub's repository (the one storage port: cases,
 * decisions and the doors' own tables), its object store (image bytes by SHA-256), its
 * bearer-token auth and its password hashing.
 */
export interface DoorsDeps {
  repo: HubRepository;
  putImage(sha256: string, bytes: Buffer): Promise<void>;
  /** The object store itself, for photographs streamed in (intake/receive-photo.ts). */
  objects: ObjectStore;
  /** An image's bytes from the object store (for the letter's key image), or null when absent; throws when they cannot be read or do not hash to their address. */
  readImage(sha256: string): Promise<Buffer | null>;
  /** The service's letterhead on the letters the hub issues (common/letters/letterhead.ts). */
  letterhead: Letterhead;
  /** Resolves `Authorization: Bearer` to a caller, or null. */
  authenticate(request: FastifyRequest): Promise<Caller | null>;
  /** Issues a session token for a user (same tokens the core checks). */
  issueToken(userId: string): Promise<{ token: string; expiresAt: string }>;
  /** The account behind a username and password; 'rate-limited' after too many failures. */
  verifyPassword(username: string, password: string): Promise<Caller | null | 'rate-limited'>;
  createUser(input: {
    username: string;
    displayName: string;
    role: 'gp-practice' | 'admin';
    password: string;
  }): Promise<string>;
  now(): Date;
  /** Which message channels the hub can send on (loop/notifier.ts). */
  notifier: { has(channel: 'email' | 'sms'): boolean };
  /** The hub's public address, for links in messages. */
  publicUrl(): string;
  /** Asks the outcome loop to dispatch and send now (after queueing a message). */
  kickLoop(): void;
  /** When a lease taken now would end (the core's lease length). */
  leaseEnd(): string;
}
