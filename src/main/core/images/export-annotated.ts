import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { appendAudit } from '../audit/audit-log';
import type { SealedJournal } from '../outbox/sealed-journal';
import type { Db } from '../db/open-database';
import { AnnotationStore } from './annotation-store';
import { burnInAnnotations } from '../../../common/images/burn-in';
import { readCachedImage } from './image-reader';

/** Where cached files are read from and exports written to. */
export interface ExportFiles {
  dataDir: string;
  imageKey: Buffer;
  /** Outside the data directory: an export is a deliberate, audited plaintext copy. */
  exportDir: string;
}

/**
 * Exports one cached image with the consultant's marks burnt in, at full resolution, as a PNG in
 * the export folder (outside the encrypted data directory: an export is a deliberate plaintext
 * copy, e.g. for the GP letter) and audits it as `case.exported`, like the letter.
 */
export async function exportAnnotatedImage(
  db: Db,
  files: ExportFiles,
  input: { caseId: string; sha256: string },
  actor: string,
  now: Date,
  journal: SealedJournal | null = null,
): Promise<{ path: string; fileName: string; bytes: number; width: number; height: number }> {
  const inCase = db.prepare('SELECT 1 FROM images WHERE case_id = ? AND sha256 = ?').get(input.caseId, input.sha256);
  if (!inCase) throw new AppError('not-found', 'This image is not part of that case in the local cache.', 'sha256');
  const original = await readCachedImage(files.dataDir, files.imageKey, input.sha256, 'original');
  if (!original.ok) {
    throw new AppError('unavailable', `The image could not be read from the cache: ${original.message}`, 'sha256');
  }
  let doc;
  try {
    doc = new AnnotationStore(db, () => now).get(input.sha256).doc;
  } catch {
    throw new AppError('unavailable', 'These marks were saved by a newer DermDesk and cannot be drawn here.', 'sha256');
  }
  let burnt;
  try {
    burnt = await burnInAnnotations(original.bytes, doc);
  } catch {
    throw new AppError('validation', 'This image is damaged and cannot be exported.', 'sha256');
  }
  mkdirSync(files.exportDir, { recursive: true, mode: 0o700 });
  const fileName = `${input.caseId.slice(0, 8)}-${input.sha256.slice(0, 12)}-annotated.png`;
  const path = join(files.exportDir, fileName);
  // Patient data: readable by this user only (0600), also when a crashed export left the .tmp behind.
  writeFileSync(`${path}.tmp`, burnt.png, { mode: 0o600 });
  chmodSync(`${path}.tmp`, 0o600);
  renameSync(`${path}.tmp`, path);
  appendAudit(
    db,
    {
      actor,
      caseId: input.caseId,
      action: 'case.exported',
      detail: { kind: 'annotated-image', sha256: input.sha256, marks: doc?.shapes.length ?? 0 },
    },
    now,
    journal,
  );
  return { path, fileName, bytes: burnt.png.length, width: burnt.width, height: burnt.height };
}
