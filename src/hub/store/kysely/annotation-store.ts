import type { AnnotationDoc } from '../../../shared/domain/viewer/annotations';
import type { ImageAnnotations } from '../../../shared/hub-api/annotations-api';
import type { SaveAnnotationsInput, SaveAnnotationsResult } from '../hub-repository';
import { lockCase } from './case-rows';
import { inTx, type Q } from './store-context';

/**
 * One transaction (the case row locked first): the stored version must be the one the save was
 * based on; the new version is base + 1. The same save sent again (its answer was lost) finds
 * its own save id at base + 1 and is answered as before.
 */
export async function saveAnnotations(q: Q, input: SaveAnnotationsInput): Promise<SaveAnnotationsResult> {
  return inTx(q, async (t): Promise<SaveAnnotationsResult> => {
    await lockCase(t, input.caseId);
    const current = await t.db
      .selectFrom('image_annotations')
      .select(['version', 'save_id', 'saved_at'])
      .where('case_id', '=', input.caseId)
      .where('sha256', '=', input.sha256)
      .executeTakeFirst();
    const version = current?.version ?? 0;
    if (current && current.save_id === input.saveId && version === input.baseVersion + 1) {
      return { ok: true, version, savedAt: current.saved_at, replayed: true };
    }
    if (version !== input.baseVersion) return { ok: false, currentVersion: version };
    const row = {
      case_id: input.caseId,
      sha256: input.sha256,
      version: version + 1,
      doc_json: JSON.stringify(input.doc),
      save_id: input.saveId,
      saved_by: input.consultantId,
      saved_at: input.now,
    };
    await t.db
      .insertInto('image_annotations')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['case_id', 'sha256']).doUpdateSet({
          version: row.version,
          doc_json: row.doc_json,
          save_id: row.save_id,
          saved_by: row.saved_by,
          saved_at: row.saved_at,
        }),
      )
      .execute();
    return { ok: true, version: version + 1, savedAt: input.now, replayed: false };
  });
}

export async function annotationsForCase(q: Q, caseId: string): Promise<ImageAnnotations[]> {
  const rows = await q.db
    .selectFrom('image_annotations')
    .select(['sha256', 'version', 'doc_json', 'saved_by', 'saved_at'])
    .where('case_id', '=', caseId)
    .orderBy('sha256')
    .execute();
  return rows.map((r) => ({
    sha256: r.sha256,
    version: r.version,
    doc: JSON.parse(r.doc_json) as AnnotationDoc,
    savedAt: r.saved_at,
    savedBy: r.saved_by,
  }));
}
