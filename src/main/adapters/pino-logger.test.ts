import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCase, sampleDischarge } from '../../../tests/support/sample-case';
import { makeTempDir } from '../../../tests/support/temp-dir';
import type { CaseRecord } from '../../shared/domain/case';
import { createPinoLogger, REDACTED } from './pino-logger';

/**
 * Patient data never reaches the log file: a real case record, a decision, the cache's own rows
 * and errors carrying all of them go through the real pino logger into a real file, and none of
 * the patient's values is found in it, while the ids a reader needs are.
 */

let dir: ReturnType<typeof makeTempDir>;
let file: string;
beforeEach(() => {
  dir = makeTempDir('dermdesk-log-');
  file = join(dir.path, 'main.log');
});
afterEach(() => dir.remove());

function loggerToFile(): ReturnType<typeof createPinoLogger> {
  return createPinoLogger(pino.destination({ dest: file, sync: true }), 'debug');
}

/** Every value of the record that is about the patient: identity and the referral's free text. */
function patientValues(record: CaseRecord): string[] {
  const { patient, referral } = record;
  const nhs = patient.nhsNumber;
  return [
    nhs,
    `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`,
    patient.givenName,
    patient.familyName,
    patient.dateOfBirth,
    referral.presentingComplaint,
    referral.evolution,
    referral.symptoms,
    referral.history,
    referral.medication,
    referral.site.description,
  ].filter((v) => v.length > 0);
}

describe('the pino logger redacts patient data', () => {
  const record = sampleCase({
    patient: {
      nhsNumber: '9434765919',
      givenName: 'Rosalind',
      familyName: 'Franklin',
      dateOfBirth: '1950-07-25',
      sex: 'female',
    },
    referral: { history: 'Sister treated for melanoma in 2019', medication: 'Methotrexate 15 mg weekly' },
  });

  it('keeps no patient value in the file, however the record reaches the log', () => {
    const log = loggerToFile().child({ part: 'sync' });
    const nhs = record.patient.nhsNumber;
    // The record itself, under the names the serializers know and under names they do not.
    log.info({ record }, 'case stored');
    log.warn({ caseId: record.id, received: record }, 'case replaced');
    log.debug({ batch: { cases: [record], claimedAt: '2026-11-30T09:00:00.000Z' } }, 'claimed');
    // The cache's own row (snake_case columns, the stored JSON document).
    log.info(
      {
        row: {
          id: record.id,
          nhs_number: nhs,
          patient_name: `${record.patient.familyName}, ${record.patient.givenName}`,
          record_json: JSON.stringify(record),
        },
      },
      'row read',
    );
    // The decision and its outbox row (the plan is free text about the patient).
    const decision = { id: 'd-1', caseId: record.id, version: 1, ...sampleDischarge() };
    log.info({ decision, outbox: { kind: 'decision', payload: decision } }, 'decision queued');
    // Errors: patient data in the message, in own properties and in the cause.
    const cause = new Error(`NHS number ${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)} did not match`);
    const error = Object.assign(new Error(`case for ${nhs} (born ${record.patient.dateOfBirth}) refused`, { cause }), {
      record,
      patient: record.patient,
      detail: { referral: record.referral },
    });
    log.error({ err: error, caseId: record.id }, 'handler case.get failed');
    log.error({ error }, `handler failed for ${nhs}`);

    const text = readFileSync(file, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(7);
    for (const value of patientValues(record)) expect(text, `the log holds "${value}"`).not.toContain(value);

    // What a reader needs is still there: which case, which part, what failed and where.
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ part: 'sync', msg: 'case stored', record: { id: record.id, version: 1 } });
    expect(parsed[1]).toMatchObject({ caseId: record.id, received: { id: record.id, patient: REDACTED } });
    expect(parsed[3]).toMatchObject({ row: { id: record.id, nhs_number: REDACTED, record_json: REDACTED } });
    expect(parsed[4]).toMatchObject({ decision: { id: 'd-1', caseId: record.id, outcome: 'discharge' } });
    expect(parsed[5]).toMatchObject({
      caseId: record.id,
      msg: 'handler case.get failed',
      err: {
        type: 'Error',
        message: 'case for [nhs-number] (born [date]) refused: NHS number [nhs-number] did not match',
        record: { id: record.id },
      },
    });
    expect(String((parsed[5]!['err'] as { stack: string }).stack)).toContain('pino-logger.test.ts');
    expect(parsed[6]!['msg']).toBe('handler failed for [nhs-number]');
  });

  it('leaves timestamps and ids alone', () => {
    loggerToFile().info(
      { at: '2026-11-30T09:00:00.000Z', sha256: 'ab'.repeat(32), caseId: record.id },
      'derivation failed',
    );
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      at: '2026-11-30T09:00:00.000Z',
      sha256: 'ab'.repeat(32),
      caseId: record.id,
    });
  });
});
