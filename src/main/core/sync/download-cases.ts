import { z } from 'zod';
import { caseResponseSchema, type ClaimResponse } from '../../../shared/hub-api/consultant-api';
import { earlierCasesSchema, type EarlierCase } from '../../../shared/hub-api/earlier-cases-api';
import type { ImageAnnotations } from '../../../shared/hub-api/annotations-api';
import type { CaseRecord } from '../../../shared/domain/case';
import { earlierImagesOf } from '../cases/earlier-cases';
import type { SyncProgress } from '../../../shared/contract/sync-methods';
import type { CaseCache } from '../cases/case-cache';
import type { Db } from '../db/open-database';
import type { ImageStore } from '../images/image-store';
import { HubRequestError, type HubClient } from '../hub-client/hub-client';
import { mapBounded } from '../hub-client/parallel';
import { storeCase } from './store-case';

/** How long finished cases wait to be written together: one commit (and one WAL fsync) per group. */
const GROUP_MS = 400;

export interface DownloadDeps {
  db: Db;
  cases: CaseCache;
  images: ImageStore;
  client: HubClient;
  caseConcurrency: number;
  progress: (p: Partial<SyncProgress>) => void;
  /** Called after each group of cases is written (the worklist can refresh). */
  onStored?: () => void;
  /** A stored case came back to triage with the referrer's answer (see storeCase). */
  onAnswered?: (caseId: string) => void;
}

export interface DownloadResult {
  stored: string[];
  imagesStored: number;
  failures: Array<{ caseId: string; message: string }>;
  /** Cases cached without (some of) their earlier cases: refused as malformed, or an image not fetched. */
  earlierProblems: Array<{ caseId: string; message: string }>;
}

/** A case as downloaded: the record, the marks and the patient's earlier cases that came with it. */
export type FetchedCase = CaseRecord & {
  annotations?: ImageAnnotations[];
  /** Absent when the hub sent none (an older hub) or they were refused (`earlierRefused`). */
  earlierCases?: EarlierCase[];
  /** Why the earlier cases the hub sent were refused; the case itself is still good. */
  earlierRefused?: string;
};

// The record is checked whole; the earlier cases on their own, so a bad list never costs the case.
const caseWithAnyEarlierSchema = caseResponseSchema.extend({ earlierCases: z.unknown().optional() });

/**
 * Fetches one case's JSON; a record that fails the schema or names another case is refused whole.
 * Its `earlierCases` are validated apart: a malformed list (or one naming the case itself) is
 * refused with a message naming the field, and the case is kept.
 */
export async function fetchCase(client: HubClient, caseId: string): Promise<FetchedCase> {
  const { value } = await client.json('GET', `/cases/${encodeURIComponent(caseId)}`, caseWithAnyEarlierSchema);
  if (value.id !== caseId) {
    throw new HubRequestError('malformed', `The hub answered the request for case ${caseId} with another case.`);
  }
  const { earlierCases: raw, ...record } = value;
  if (raw === undefined) return record;
  const refused = (why: string): FetchedCase => ({
    ...record,
    earlierRefused: `The hub's earlier cases of this patient (case ${caseId}) do not match the API (${why}); the case was cached without them.`,
  });
  const parsed = earlierCasesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refused(issue ? `earlierCases.${issue.path.join('.')}: ${issue.message}` : 'earlierCases');
  }
  if (parsed.data.some((e) => e.id === caseId)) return refused('earlierCases names the case itself');
  return { ...record, earlierCases: parsed.data };
}

/**
 * Downloads the cases that are missing or stale locally: case JSON first (so the byte total is
 * known), then every image through one bounded pool; a case is written to the cache only when
 * its record validated and all its images are stored and verified. A case with any failure is
 * not cached at all (a half case would show missing images to the consultant).
 */
export async function downloadCases(deps: DownloadDeps, wanted: ClaimResponse['cases']): Promise<DownloadResult> {
  const local = deps.db.prepare('SELECT hub_version FROM cases WHERE id = ?');
  const todo = wanted.filter((c) => {
    const row = local.get(c.id) as { hub_version: number } | undefined;
    if (!row || row.hub_version < c.version) return true;
    const missing = deps.db.prepare('SELECT sha256, bytes FROM images WHERE case_id = ?').all(c.id) as Array<{
      sha256: string;
      bytes: number;
    }>;
    return [...missing, ...earlierImagesOf(deps.db, c.id)].some((img) => !deps.images.has(img));
  });
  const failures: DownloadResult['failures'] = [];
  const earlierProblems: DownloadResult['earlierProblems'] = [];
  let casesDone = 0;
  deps.progress({ phase: 'cases', casesDone: 0, casesTotal: todo.length, bytesDone: 0, bytesTotal: 0 });

  // Each distinct image once, even when cases share it; a case is stored the moment its last
  // image is verified, so the worklist fills while the rest download.
  const remaining = new Map<string, number>();
  const stored: string[] = [];
  const failed = new Set<string>();
  // Completed cases are written in groups (one transaction, one WAL fsync each, at most every
  // 400 ms) so the worklist fills progressively without a disk flush per case. Before a
  // group's transaction, the directories its images were renamed into are fsynced (once each,
  // for the whole group): image bytes are durable before the rows that point at them commit.
  let ready: FetchedCase[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (ready.length === 0) return writing;
    const group = ready;
    ready = [];
    writing = writing.then(async () => {
      try {
        await deps.images.syncDirectories();
        const answered = deps.db.transaction(() =>
          group.filter((r) => storeCase(deps.db, deps.cases, r).answered).map((r) => r.id),
        )();
        answered.forEach((id) => deps.onAnswered?.(id));
      } catch (error) {
        // Not durable or not written: none of the group is cached, and the sync says why.
        group.forEach((r) => fail(r, error));
        return;
      }
      for (const r of group) stored.push(r.id);
      casesDone += group.length;
      deps.progress({ casesDone });
      deps.onStored?.();
    });
    return writing;
  };
  const storeIfComplete = (record: FetchedCase): void => {
    if (remaining.get(record.id) !== 0 || failed.has(record.id)) return;
    ready.push(record);
    flushTimer ??= setTimeout(() => void flush(), GROUP_MS);
  };
  // Pipelined: each case's images start downloading as soon as its record has validated, so the
  // network is busy while the remaining records arrive (the byte total grows during that time).
  // `cases`: the records waiting for this image as their own; `citing`: those showing it as an
  // image of an earlier case (a failure there is reported, but never costs the case).
  type Entry = {
    sha256: string;
    bytes: number;
    cases: FetchedCase[];
    citing: FetchedCase[];
    state: 'pending' | 'ok' | 'failed';
    error?: unknown;
  };
  const bySha = new Map<string, Entry>();
  let bytesTotal = 0;
  let bytesDone = 0;
  let imagesStored = 0;
  const source = deps.client.openImage.bind(deps.client);
  const transfers: Promise<void>[] = [];
  const fail = (record: CaseRecord, error: unknown): void => {
    if (!failed.has(record.id)) failures.push({ caseId: record.id, message: messageOf(error) });
    failed.add(record.id);
  };
  const arrived = (record: FetchedCase): void => {
    remaining.set(record.id, (remaining.get(record.id) ?? 1) - 1);
    storeIfComplete(record);
  };
  const earlierImageFailed = (record: FetchedCase, error: unknown): void => {
    earlierProblems.push({
      caseId: record.id,
      message: `An image of an earlier case of this patient (case ${record.id}) was not fetched: ${messageOf(error)}`,
    });
  };
  const download = async (entry: Entry): Promise<void> => {
    try {
      const outcome = await deps.images.ensure(
        entry,
        source,
        (delta) => {
          bytesDone += delta;
          deps.progress({ bytesDone });
        },
        { deferDirectorySync: true },
      );
      if (outcome === 'stored') imagesStored++;
      entry.state = 'ok';
      entry.cases.forEach(arrived);
      entry.citing.forEach(arrived);
    } catch (error) {
      entry.state = 'failed';
      entry.error = error;
      entry.cases.forEach((record) => fail(record, error));
      for (const record of entry.citing) {
        earlierImageFailed(record, error);
        arrived(record);
      }
    }
  };
  const register = (r: FetchedCase): void => {
    if (r.earlierRefused) earlierProblems.push({ caseId: r.id, message: r.earlierRefused });
    let waiting = 0;
    const own = new Set(r.images.map((img) => img.sha256));
    // The case's own images, then its earlier cases' (each distinct image once, shared with any
    // other case that needs it): the case is written when all of them have been tried.
    const needed = [...r.images, ...(r.earlierCases ?? []).flatMap((e) => e.images)];
    const seen = new Set<string>();
    for (const img of needed) {
      if (seen.has(img.sha256) || deps.images.has(img)) continue;
      seen.add(img.sha256);
      const asOwn = own.has(img.sha256);
      let entry = bySha.get(img.sha256);
      if (!entry) {
        entry = { sha256: img.sha256, bytes: img.bytes, cases: [], citing: [], state: 'pending' };
        bySha.set(img.sha256, entry);
        bytesTotal += img.bytes;
        deps.progress({ phase: 'images', bytesTotal });
        transfers.push(download(entry));
      }
      if (entry.state === 'failed') {
        if (asOwn) fail(r, entry.error);
        else earlierImageFailed(r, entry.error);
      } else if (entry.state === 'pending') {
        (asOwn ? entry.cases : entry.citing).push(r);
        waiting++;
      }
    }
    remaining.set(r.id, waiting);
    storeIfComplete(r);
  };

  const fetched = await mapBounded(todo, deps.caseConcurrency, async (c) =>
    register(await fetchCase(deps.client, c.id)),
  );
  fetched.forEach((r, i) => {
    if (r.status === 'rejected') failures.push({ caseId: todo[i]?.id ?? '', message: messageOf(r.reason) });
  });
  await Promise.all(transfers);
  await flush();
  return { stored, imagesStored, failures, earlierProblems };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
