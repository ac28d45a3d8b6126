import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import { annotationDocSchema, type AnnotationDoc } from '../../../shared/domain/viewer/annotations';
import { annotationsTooLarge, type ImageAnnotations } from '../../../shared/hub-api/annotations-api';
import type { Db } from '../db/open-database';
import { enqueueOutbox } from '../outbox/enqueue-outbox';
import type { SealedJournal } from '../outbox/sealed-journal';
import { ANNOTATION_ROW_FOR, annotationsRefPrefix, type AnnotationsOutboxPayload } from '../outbox/annotation-rows';
import { SyncKv } from '../db/sync-kv';

/**
 * Annotation documents in SQLite, one per image, with optimistic concurrency on `revision`
 * (two windows on one workstation), and each save queued for the hub (other workstations) in
 * the same transaction.
 */
export class AnnotationStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    /** Where each queued save is sealed (see enqueueOutbox); null where nothing is queued or sealed. */
    private readonly journal: SealedJournal | null = null,
  ) {}

  get(sha256: string): { doc: AnnotationDoc | null; revision: number } {
    const row = this.db
      .prepare('SELECT doc_json, revision FROM image_annotations WHERE image_sha256 = ?')
      .get(sha256) as { doc_json: string; revision: number } | undefined;
    if (!row) return { doc: null, revision: 0 };
    const parsed = annotationDocSchema.safeParse(JSON.parse(row.doc_json));
    // A document from a newer app version is not misread: it is reported, never overwritten blindly.
    if (!parsed.success)
      throw new AppError('schema-too-new', 'These image marks were saved by a newer DermDesk. Update to see them.');
    return { doc: parsed.data, revision: row.revision };
  }

  /** The hub's reason for refusing this image's marks (a held outbox row), or null. */
  syncNote(sha256: string): string | null {
    const row = this.db
      .prepare(
        `SELECT o.last_error FROM outbox o JOIN images i
           ON substr(o.ref_id, 1, 102) = i.case_id || '.' || i.sha256 || '.'
         WHERE o.kind = 'annotations' AND o.held = 1 AND i.sha256 = ? LIMIT 1`,
      )
      .get(sha256) as { last_error: string | null } | undefined;
    return row ? `The hub did not keep these marks: ${row.last_error ?? 'refused'}` : null;
  }

  save(sha256: string, doc: AnnotationDoc, expectedRevision: number): { revision: number } {
    // Refused here, at once, rather than by the hub after the consultant has moved on.
    const tooLarge = annotationsTooLarge(doc);
    if (tooLarge) throw new AppError('validation', tooLarge, 'doc');
    if (this.onlyEarlier(sha256))
      throw new AppError(
        'forbidden',
        'This photograph belongs to an earlier case the hub sent for comparison; it is read-only here.',
        'sha256',
      );
    return this.db.transaction(() => {
      const current = this.get(sha256).revision;
      if (current !== expectedRevision)
        throw new AppError('conflict', 'These marks were changed in another window. Reload the image to see them.');
      const revision = current + 1;
      const at = this.now().toISOString();
      this.write(sha256, doc, revision, at);
      this.queueForHub(sha256, doc, at);
      return { revision };
    })();
  }

  /** True for an image that only an earlier case from the hub shows (none of this workstation's cases). */
  private onlyEarlier(sha256: string): boolean {
    const ours = this.db.prepare('SELECT 1 FROM images WHERE sha256 = ? LIMIT 1').get(sha256);
    return !ours && !!this.db.prepare('SELECT 1 FROM earlier_case_images WHERE sha256 = ? LIMIT 1').get(sha256);
  }

  /**
   * Marks that came with a downloaded case. The hub's document replaces the local one unless
   * the local one has edits not yet accepted by the hub (an outbox row, sent or held): those are
   * the consultant's newer work and are never overwritten from here.
   */
  applyFromHub(caseId: string, entries: readonly ImageAnnotations[]): void {
    const pending = this.db.prepare(`SELECT 1 FROM outbox WHERE ${ANNOTATION_ROW_FOR}`);
    const local = this.db.prepare('SELECT revision, hub_version FROM image_annotations WHERE image_sha256 = ?');
    for (const entry of entries) {
      if (pending.get({ prefix: annotationsRefPrefix(caseId, entry.sha256) })) continue;
      const row = local.get(entry.sha256) as { revision: number; hub_version: number } | undefined;
      if (row && row.hub_version >= entry.version) continue;
      // A new revision, so an open viewer's next save is refused and it reloads these marks.
      this.write(entry.sha256, entry.doc, (row?.revision ?? 0) + 1, this.now().toISOString(), entry.version);
    }
  }

  private write(sha256: string, doc: AnnotationDoc, revision: number, at: string, hubVersion?: number): void {
    this.db
      .prepare(
        `INSERT INTO image_annotations (image_sha256, doc_json, schema_version, revision, updated_at, hub_version)
         VALUES (@sha, @doc, @schemaVersion, @revision, @at, @hubVersion)
         ON CONFLICT(image_sha256) DO UPDATE SET doc_json = @doc, schema_version = @schemaVersion,
           revision = @revision, updated_at = @at, hub_version = coalesce(@keepHub, hub_version)`,
      )
      .run({
        sha: sha256,
        doc: JSON.stringify(doc),
        schemaVersion: doc.schemaVersion,
        revision,
        at,
        hubVersion: hubVersion ?? 0,
        keepHub: hubVersion ?? null,
      });
  }

  /**
   * Queues the document for every cached case that shows this image (usually one). A row not
   * yet sent is replaced (its base version kept: the hub has not moved on from it); with no
   * row, the base is the hub version the local document was last in step with.
   */
  private queueForHub(sha256: string, doc: AnnotationDoc, at: string): void {
    const caseIds = (
      this.db.prepare('SELECT DISTINCT case_id FROM images WHERE sha256 = ?').all(sha256) as { case_id: string }[]
    ).map((r) => r.case_id);
    if (caseIds.length === 0) return;
    const hubVersion = (
      this.db.prepare('SELECT hub_version FROM image_annotations WHERE image_sha256 = ?').get(sha256) as
        { hub_version: number } | undefined
    )?.hub_version;
    const consultantId = new SyncKv(this.db).consultant()?.id ?? 'system';
    for (const caseId of caseIds) {
      const prefix = annotationsRefPrefix(caseId, sha256);
      const existing = this.db
        .prepare(`SELECT payload_json FROM outbox WHERE ${ANNOTATION_ROW_FOR}`)
        .get({ prefix }) as { payload_json: string } | undefined;
      const baseVersion = existing
        ? (JSON.parse(existing.payload_json) as AnnotationsOutboxPayload).baseVersion
        : (hubVersion ?? 0);
      if (existing) this.db.prepare(`DELETE FROM outbox WHERE ${ANNOTATION_ROW_FOR}`).run({ prefix });
      const saveId = randomUUID();
      const payload: AnnotationsOutboxPayload = { caseId, sha256, baseVersion, saveId, doc };
      enqueueOutbox(
        this.db,
        { kind: 'annotations', refId: `${prefix}${saveId}`, payload, consultantId, at },
        this.journal,
      );
    }
  }
}
