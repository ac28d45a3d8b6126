import type Database from 'better-sqlite3-multiple-ciphers';
import type { AnnotationDoc } from '../../shared/domain/viewer/annotations';
import type { ImageAnnotations } from '../../shared/hub-api/annotations-api';
import type { SaveAnnotationsInput, SaveAnnotationsResult } from './hub-repository';

interface Row {
  sha256: string;
  version: number;
  doc_json: string;
  save_id: string;
  saved_by: string;
  saved_at: string;
}

/**
 * One transaction (BEGIN IMMEDIATE): the stored version must be the one the save was based on;
 * the new version is base + 1. The same save sent again (its answer was lost) finds its own
 * save id at base + 1 and is answered as before.
 */
export function saveAnnotations(db: Database.Database, input: SaveAnnotationsInput): SaveAnnotationsResult {
  return db
    .transaction((): SaveAnnotationsResult => {
      const current = db
        .prepare('SELECT version, save_id, saved_at FROM image_annotations WHERE case_id = ? AND sha256 = ?')
        .get(input.caseId, input.sha256) as Pick<Row, 'version' | 'save_id' | 'saved_at'> | undefined;
      const version = current?.version ?? 0;
      if (current && current.save_id === input.saveId && version === input.baseVersion + 1) {
        return { ok: true, version, savedAt: current.saved_at, replayed: true };
      }
      if (version !== input.baseVersion) return { ok: false, currentVersion: version };
      db.prepare(
        `INSERT INTO image_annotations (case_id, sha256, version, doc_json, save_id, saved_by, saved_at)
         VALUES (@caseId, @sha256, @version, @doc, @saveId, @savedBy, @at)
         ON CONFLICT (case_id, sha256) DO UPDATE SET version = excluded.version, doc_json = excluded.doc_json,
           save_id = excluded.save_id, saved_by = excluded.saved_by, saved_at = excluded.saved_at`,
      ).run({
        caseId: input.caseId,
        sha256: input.sha256,
        version: version + 1,
        doc: JSON.stringify(input.doc),
        saveId: input.saveId,
        savedBy: input.consultantId,
        at: input.now,
      });
      return { ok: true, version: version + 1, savedAt: input.now, replayed: false };
    })
    .immediate();
}

export function annotationsForCase(db: Database.Database, caseId: string): ImageAnnotations[] {
  const rows = db
    .prepare(
      'SELECT sha256, version, doc_json, save_id, saved_by, saved_at FROM image_annotations WHERE case_id = ? ORDER BY sha256',
    )
    .all(caseId) as Row[];
  return rows.map((r) => ({
    sha256: r.sha256,
    version: r.version,
    doc: JSON.parse(r.doc_json) as AnnotationDoc,
    savedAt: r.saved_at,
    savedBy: r.saved_by,
  }));
}
