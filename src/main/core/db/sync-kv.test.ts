import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore } from '../../../../tests/support/test-core';
import { DEMO_LETTERHEAD } from '../../../shared/domain/letterhead';
import { SyncKv } from './sync-kv';

describe("the hub's letterhead kept for this workstation's letters", () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore();
  });
  afterEach(() => core.cleanup());

  it('is kept across instances, cleared with null, and absent before any sign-in', () => {
    expect(new SyncKv(core.db).letterhead()).toBeNull();
    const mine = { ...DEMO_LETTERHEAD, serviceName: 'North Riding Teledermatology' };
    new SyncKv(core.db).setLetterhead(mine);
    expect(new SyncKv(core.db).letterhead()).toEqual(mine);
    new SyncKv(core.db).setLetterhead(null);
    expect(new SyncKv(core.db).letterhead()).toBeNull();
  });

  it('a corrupt or wrongly shaped stored value reads as none (the demo letterhead), never throws', () => {
    const put = (value: string) =>
      core.db
        .prepare(
          "INSERT INTO kv (key, value) VALUES ('sync.letterhead', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )
        .run(value);
    put('{"serviceName": "Cut');
    expect(new SyncKv(core.db).letterhead()).toBeNull();
    put('{"serviceName": ""}');
    expect(new SyncKv(core.db).letterhead()).toBeNull();
  });
});
