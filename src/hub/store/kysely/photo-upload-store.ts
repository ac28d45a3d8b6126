import type { PhotoUploadRow } from '../hub-repository';
import { inTx, type Q } from './store-context';

/** Photographs streamed in before the referral or answer that cites them (migration 70). */
export async function addPhotoUpload(q: Q, r: PhotoUploadRow): Promise<void> {
  await q.db
    .insertInto('photo_uploads')
    .values({
      id: r.id,
      owner: r.owner,
      sha256: r.sha256,
      bytes: r.bytes,
      media_type: r.mediaType,
      width: r.width,
      height: r.height,
      created_at: r.createdAt,
      used_at: r.usedAt,
    })
    .execute();
}

export async function settlePhotoUpload(
  q: Q,
  id: string,
  found: Pick<PhotoUploadRow, 'owner' | 'mediaType' | 'width' | 'height'>,
): Promise<void> {
  await q.db
    .updateTable('photo_uploads')
    .set({ owner: found.owner, media_type: found.mediaType, width: found.width, height: found.height })
    .where('id', '=', id)
    .execute();
}

export async function removePhotoUpload(q: Q, id: string): Promise<void> {
  await q.db.deleteFrom('photo_uploads').where('id', '=', id).execute();
}

export async function photoUploads(q: Q, ids: string[]): Promise<PhotoUploadRow[]> {
  if (ids.length === 0) return [];
  const rows = await q.db.selectFrom('photo_uploads').selectAll().where('id', 'in', ids).execute();
  return rows.map((r) => ({
    id: r.id,
    owner: r.owner,
    sha256: r.sha256,
    bytes: Number(r.bytes),
    mediaType: r.media_type,
    width: r.width,
    height: r.height,
    createdAt: r.created_at,
    usedAt: r.used_at,
  }));
}

export async function markUsed(q: Q, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await q.db
    .updateTable('photo_uploads')
    .set({ used_at: at })
    .where('id', 'in', ids)
    .where('used_at', 'is', null)
    .execute();
}

export async function objectCited(q: Q, sha256: string): Promise<boolean> {
  const upload = await q.db.selectFrom('photo_uploads').select('id').where('sha256', '=', sha256).limit(1).execute();
  if (upload.length > 0) return true;
  const image = await q.db.selectFrom('case_images').select('case_id').where('sha256', '=', sha256).limit(1).execute();
  if (image.length > 0) return true;
  // An issued letter's PDF lives in the same content-addressed store: the same bytes sent as a
  // "photograph" (and refused) must not take the issued letter with them.
  const letter = await q.db
    .selectFrom('issued_letters')
    .select('decision_id')
    .where((eb) => eb.or([eb('letter_sha256', '=', sha256), eb('patient_copy_sha256', '=', sha256)]))
    .limit(1)
    .execute();
  return letter.length > 0;
}

/** One transaction: the stale rows go, and the addresses nothing else cites are returned. */
export async function collectStale(q: Q, before: string): Promise<string[]> {
  return inTx(q, async (t) => {
    const stale = await t.db
      .selectFrom('photo_uploads')
      .select(['id', 'sha256'])
      .where('used_at', 'is', null)
      .where('created_at', '<', before)
      .limit(500)
      .execute();
    if (stale.length === 0) return [];
    await t.db
      .deleteFrom('photo_uploads')
      .where(
        'id',
        'in',
        stale.map((s) => s.id),
      )
      .execute();
    const orphans: string[] = [];
    for (const sha256 of new Set(stale.map((s) => s.sha256))) if (!(await objectCited(t, sha256))) orphans.push(sha256);
    return orphans;
  });
}
