import { rmSync } from 'node:fs';
import { appendAudit } from '../audit/audit-log';
import type { SealedJournal } from '../outbox/sealed-journal';
import type { Db } from '../db/open-database';
import { imageDir, originalPath } from '../images/image-paths';

export interface PurgeResult {
  casesPurged: number;
  imagesPurged: number;
}

/**
 * Removes cached cases whose decisions the hub has confirmed more than `retentionDays` ago:
 * rows (case, images, decisions, drafts) and image files. A case with anything unsynced (a
 * pending, needs-review or rejected decision, or any outbox row) is never purged, whatever its
 * age. Audit rows stay: they are the record of who did what. SQLite's secure_delete overwrites
 * the freed pages.
 */
export function purgeCache(
  db: Db,
  dataDir: string,
  options: { retentionDays: number; actor: string },
  now: Date,
  journal: SealedJournal | null = null,
): PurgeResult {
  const cutoff = new Date(now.getTime() - options.retentionDays * 24 * 60 * 60 * 1000).toISOString();
  const purgeable = db
    .prepare(
      `SELECT c.id FROM cases c
       WHERE EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c.id)
         AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c.id
                         AND (d.sync_state != 'synced' OR d.synced_at IS NULL OR d.synced_at > @cutoff))
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ref_id = c.id
                         OR o.ref_id IN (SELECT id FROM decisions d WHERE d.case_id = c.id))`,
    )
    .all({ cutoff }) as { id: string }[];
  if (purgeable.length === 0) return { casesPurged: 0, imagesPurged: 0 };

  db.pragma('secure_delete = ON');
  const orphanedShas = db.transaction((): string[] => {
    const shas = new Set<string>();
    for (const { id } of purgeable) {
      // Its own images and its earlier cases' (read-only copies the hub sent with it).
      for (const { sha256 } of db
        .prepare(
          'SELECT sha256 FROM images WHERE case_id = ? UNION SELECT sha256 FROM earlier_case_images WHERE case_id = ?',
        )
        .all(id, id) as {
        sha256: string;
      }[]) {
        shas.add(sha256);
      }
      db.prepare('DELETE FROM cases WHERE id = ?').run(id); // images, decisions, drafts, earlier cases cascade
      appendAudit(
        db,
        { actor: options.actor, caseId: id, action: 'cache.purged', detail: { retentionDays: options.retentionDays } },
        now,
        journal,
      );
    }
    // An identical photograph may belong to a case still cached, or to an earlier case one of
    // them cites: keep its file.
    const stillUsed = db.prepare(
      'SELECT 1 FROM images WHERE sha256 = ? UNION ALL SELECT 1 FROM earlier_case_images WHERE sha256 = ? LIMIT 1',
    );
    return [...shas].filter((sha) => !stillUsed.get(sha, sha));
  })();
  for (const sha of orphanedShas) {
    rmSync(originalPath(dataDir, sha), { force: true });
    rmSync(imageDir(dataDir, sha), { recursive: true, force: true });
  }
  return { casesPurged: purgeable.length, imagesPurged: orphanedShas.length };
}
