import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server with GOV.UK Notify's `POST /v2/notifications/sms` contract that checks every
 * request as Notify does: a Bearer JWT signed HS256 with the service's secret key, `iss` the
 * service id, `iat` within 30 seconds of its clock; a JSON body with `phone_number`,
 * `template_id` (a template it knows) and `personalisation` holding every placeholder the template
 * needs. Bad requests get Notify's error shape (`{ status_code, errors: [{ error, message }] }`).
 */
export interface NotifyStub {
  url: string;
  serviceId: string;
  secret: string;
  apiKey: string;
  templateId: string;
  accepted: {
    phone_number: string;
    template_id: string;
    personalisation: Record<string, string>;
    reference?: string;
  }[];
  refused: { status: number; error: string; message: string }[];
  /** Answer the next request with this status (e.g. 500, 429) before checking it. */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export async function startNotifyStub(now: () => Date, placeholders: string[]): Promise<NotifyStub> {
  const serviceId = randomUUID();
  const secret = randomUUID();
  const templateId = randomUUID();
  const accepted: NotifyStub['accepted'] = [];
  const refused: NotifyStub['refused'] = [];
  let failures: { status: number; times: number } | null = null;

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const refuse = (status: number, error: string, message: string) => {
        refused.push({ status, error, message });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status_code: status, errors: [{ error, message }] }));
      };
      if (failures && failures.times > 0) {
        failures.times -= 1;
        return refuse(failures.status, 'Exception', 'Internal server error');
      }
      if (req.method !== 'POST' || req.url !== '/v2/notifications/sms')
        return refuse(404, 'NotFound', `No route ${req.method} ${req.url}`);
      const auth = /^Bearer (.+)\.(.+)\.(.+)$/.exec(req.headers.authorization ?? '');
      if (!auth) return refuse(403, 'AuthError', 'Unauthorized: authentication token must be provided');
      const [, head, claims, sig] = auth;
      const expected = createHmac('sha256', secret).update(`${head}.${claims}`).digest();
      const given = Buffer.from(sig!, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return refuse(403, 'AuthError', 'Invalid token: signature, api token is not valid');
      const header = JSON.parse(Buffer.from(head!, 'base64url').toString()) as { alg?: string };
      const payload = JSON.parse(Buffer.from(claims!, 'base64url').toString()) as { iss?: string; iat?: number };
      if (header.alg !== 'HS256') return refuse(403, 'AuthError', 'Invalid token: algorithm');
      if (payload.iss !== serviceId) return refuse(403, 'AuthError', 'Invalid token: service not found');
      if (typeof payload.iat !== 'number' || Math.abs(now().getTime() / 1000 - payload.iat) > 30)
        return refuse(403, 'AuthError', 'Error: Your system clock must be accurate to within 30 seconds');
      if (req.headers['content-type'] !== 'application/json')
        return refuse(400, 'BadRequestError', 'Content-Type must be application/json');
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return refuse(400, 'BadRequestError', 'Invalid JSON');
      }
      if (json['template_id'] !== templateId) return refuse(400, 'BadRequestError', 'Template not found');
      const phone = String(json['phone_number'] ?? '');
      if (!/^\+447\d{9}$/.test(phone)) return refuse(400, 'ValidationError', 'phone_number Not a UK mobile number');
      const personalisation = (json['personalisation'] ?? {}) as Record<string, string>;
      const missing = placeholders.filter((p) => typeof personalisation[p] !== 'string');
      if (missing.length > 0) return refuse(400, 'BadRequestError', `Missing personalisation: ${missing.join(', ')}`);
      accepted.push({
        phone_number: phone,
        template_id: templateId,
        personalisation,
        ...(typeof json['reference'] === 'string' ? { reference: json['reference'] } : {}),
      });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: randomUUID(),
          reference: json['reference'] ?? null,
          content: { body: '(rendered by the template)', from_number: 'DermDesk' },
          uri: `/v2/notifications/${randomUUID()}`,
          template: { id: templateId, version: 1, uri: `/v2/template/${templateId}` },
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    serviceId,
    secret,
    apiKey: `dermdesk_test-${serviceId}-${secret}`,
    templateId,
    accepted,
    refused,
    failNext(status, times = 1) {
      failures = { status, times };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
