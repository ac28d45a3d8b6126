import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub-fixture';

let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

describe('hub health and readiness', () => {
  it('/healthz answers; /readyz is ready while the database and object store are reachable, 503 naming the part that is not', async () => {
    hub = await startTestHub();
    const health = await fetch(`${hub.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${hub.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', objects: 'ok' });
    // The object store's folder replaced by a file: the store can no longer be written.
    rmSync(join(hub.dataDir, 'objects'), { recursive: true, force: true });
    writeFileSync(join(hub.dataDir, 'objects'), 'not a folder');
    const broken = await fetch(`${hub.url}/readyz`);
    expect(broken.status).toBe(503);
    expect(await broken.json()).toEqual({ status: 'not-ready', database: 'ok', objects: 'unavailable' });
    rmSync(join(hub.dataDir, 'objects'), { force: true });
  });
});
