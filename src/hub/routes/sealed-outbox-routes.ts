import { outboxRequest } from '../../shared/hub-api/outbox-requests';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import {
  SEALING_ALGORITHM,
  sealedUploadRequestSchema,
  type SealedContent,
  type SealedHeader,
  type SealedOutcome,
  type SealedUploadResponse,
} from '../../shared/hub-api/sealed-outbox';
import { openSealed, SealedBoxError, type SealingKeyPair } from '../../common/sealed-box/sealed-box';
import type { HubContext } from '../hub-context';
import { HubHttpError } from '../http/hub-http-error';
import { authenticate, canonicalJson, parseWith } from '../http/request-helpers';

type Opened = { id: string; state: 'sealed' | 'unconfirmed' } & (
  { ok: true; header: SealedHeader; content: SealedContent } | { ok: false; message: string }
);

interface Applied {
  outcome: SealedOutcome;
  message: string;
}

/**
 * Key loss and the sealed outbox, hub side. `GET /sealing-key` hands workstations the public half
 * of the hub's X25519 key. `POST /sealed-outbox` takes entries from the journal of a workstation
 * cache that can no longer be read, opens each, checks it belongs to the signed-in consultant,
 * and applies it through the SAME route a normal outbox send uses (an in-process request with
 * the caller's own token), so every rule (idempotency by decision id, If-Match on the case
 * version, leases, append-only audit) holds unchanged and a decision already delivered is a
 * no-op. Entries the workstation could not confirm were committed (`unconfirmed`) are never
 * applied: they are recorded for an operator, as is anything the hub could not apply (the case
 * changed meanwhile). `GET /sealed-outbox/review` lists those for an admin.
 */
export function registerSealedOutboxRoutes(app: FastifyInstance, ctx: HubContext): void {
  const sealingKey = (): SealingKeyPair => {
    if (!ctx.sealingKey)
      throw new HubHttpError(503, 'sealing-unavailable', 'This hub has no sealing key; ask its operator.');
    return ctx.sealingKey;
  };
  app.get(`${HUB_API_PREFIX}/sealing-key`, async (request) => {
    await authenticate(ctx, request);
    const key = sealingKey();
    return { algorithm: SEALING_ALGORITHM, keyId: key.keyId, publicKey: key.raw.toString('base64') };
  });

  app.post(`${HUB_API_PREFIX}/sealed-outbox`, async (request): Promise<SealedUploadResponse> => {
    const user = await authenticate(ctx, request);
    const { entries } = parseWith(sealedUploadRequestSchema, request.body);
    const key = sealingKey();
    const opened: Opened[] = entries.map((e) => {
      try {
        return { id: e.id, state: e.state, ok: true, ...openSealed(key, Buffer.from(e.box, 'base64')) };
      } catch (error) {
        if (error instanceof SealedBoxError) return { id: e.id, state: e.state, ok: false, message: error.message };
        throw error;
      }
    });
    // Every entry is checked before any is applied: one entry of another consultant refuses all.
    for (const o of opened) {
      if (o.ok && !belongsTo(o.header, o.content, user.id)) {
        throw new HubHttpError(
          403,
          'forbidden-entry',
          'A sealed entry belongs to another consultant; only they can deliver it.',
          'entries',
        );
      }
    }
    const results: SealedUploadResponse['results'] = [];
    for (const o of opened) {
      if (!o.ok) {
        results.push({ id: o.id, outcome: 'rejected', message: o.message });
        continue;
      }
      const applied =
        o.state === 'unconfirmed'
          ? await holdUnconfirmed(ctx, o.content)
          : await applyEntry(app, request.headers.authorization ?? '', o.content);
      if (applied.outcome !== 'retry' && applied.outcome !== 'rejected') {
        await ctx.repo.recordSealedRecovery({
          consultantId: user.id,
          kind: o.content.kind,
          refId: o.content.refId,
          payloadHash: createHash('sha256').update(canonicalJson(o.content.payload)).digest('hex'),
          payloadJson: JSON.stringify(o.content.payload),
          outcome:
            applied.outcome === 'needs-review' && o.state === 'unconfirmed'
              ? 'unconfirmed'
              : (applied.outcome as 'accepted' | 'duplicate' | 'needs-review'),
          message: applied.message,
          receivedAt: ctx.now().toISOString(),
        });
      }
      results.push({ id: o.id, ...applied });
    }
    return { results };
  });

  app.get(`${HUB_API_PREFIX}/sealed-outbox/review`, async (request) => {
    await authenticate(ctx, request, 'admin');
    const rows = await ctx.repo.sealedRecoveriesToReview(500);
    return {
      entries: rows.map((r) => ({
        id: r.id,
        consultantId: r.consultantId,
        kind: r.kind,
        refId: r.refId,
        outcome: r.outcome as 'needs-review' | 'unconfirmed',
        message: r.message,
        receivedAt: r.receivedAt,
        payload: JSON.parse(r.payloadJson) as unknown,
      })),
    };
  });
}

/** The entry's consultant must be the caller (a decision's signer too); 'system' audit rows ride along. */
function belongsTo(header: SealedHeader, content: SealedContent, userId: string): boolean {
  if (header.kind === 'audit' && header.consultantId === 'system') return true;
  if (header.consultantId !== userId) return false;
  if (header.kind === 'decision') {
    const signer = (content.payload as { signedBy?: { id?: unknown } } | null)?.signedBy?.id;
    return signer === userId;
  }
  return true;
}

/** Not applied. A decision the hub already holds under that id is simply a duplicate. */
async function holdUnconfirmed(ctx: HubContext, content: SealedContent): Promise<Applied> {
  if (content.kind === 'decision') {
    const caseId = (content.payload as { caseId?: unknown } | null)?.caseId;
    if (typeof caseId === 'string') {
      const held = await ctx.repo.decisionsForCase(caseId).catch(() => []);
      if (held.some((d) => d.decision.id === content.refId))
        return { outcome: 'duplicate', message: 'The hub already holds this decision.' };
    }
  }
  return {
    outcome: 'needs-review',
    message:
      'Kept for review, not applied: the workstation could not confirm this was saved (it was written while being signed).',
  };
}

/** Sends the entry through the hub's own route, as the caller, and reads the answer. */
async function applyEntry(app: FastifyInstance, authorization: string, content: SealedContent): Promise<Applied> {
  const route = outboxRequest(content.kind, content.refId, (content.payload ?? {}) as Record<string, unknown>);
  if (!route)
    return { outcome: 'needs-review', message: `Kept for review: this hub does not apply '${content.kind}' entries.` };
  const res = await app.inject({
    method: route.method,
    url: `${HUB_API_PREFIX}${route.path}`,
    headers: { ...route.headers, authorization, 'content-type': 'application/json' },
    payload: JSON.stringify(route.body),
  });
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    // Not JSON: judged by the status alone.
  }
  if (res.statusCode >= 200 && res.statusCode < 300) {
    if (content.kind === 'decision' && res.headers['idempotent-replayed'] === 'true')
      return { outcome: 'duplicate', message: 'The hub already held this decision.' };
    if (content.kind === 'audit') {
      if (Number(body['conflicts'] ?? 0) > 0)
        return {
          outcome: 'needs-review',
          message: 'Kept aside: the hub holds another audit row under this number.',
        };
      if (Number(body['duplicates'] ?? 0) > 0)
        return { outcome: 'duplicate', message: 'The hub already held this row.' };
    }
    return { outcome: 'accepted', message: 'Delivered.' };
  }
  const error = (body['error'] ?? {}) as { code?: string; message?: string };
  if (res.statusCode >= 500 || res.statusCode === 429 || res.statusCode === 401 || error.code === 'request-in-flight')
    return { outcome: 'retry', message: error.message ?? 'The hub could not take it now; it will be sent again.' };
  return {
    outcome: 'needs-review',
    message: `Kept for review, not applied: ${error.message ?? `the hub answered ${res.statusCode}`}`,
  };
}
