import type { Handlers } from '../../../shared/contract';
import type { CaseImagesData, DerivativeStatusData } from '../../../shared/contract/image-methods';
import { AppError } from '../../../shared/contract/errors';
import type { CoreContext } from './core-context';
import { AnnotationStore } from '../images/annotation-store';
import type { DerivativeQueue } from '../images/derivative-queue';

type ImageHandlers = Pick<
  Handlers,
  'images.status' | 'images.retry' | 'images.forCase' | 'annotations.get' | 'annotations.save' | 'viewer.follow-case'
>;

export function imageHandlers(ctx: CoreContext & { derivativeQueue: DerivativeQueue }): ImageHandlers {
  const annotations = new AnnotationStore(ctx.db, ctx.now, ctx.journal);
  const statusOf = (sha256: string): DerivativeStatusData => {
    const status = ctx.derivativeQueue.status(sha256);
    // An original that arrived without being queued (e.g. an older cache) is derived on first view.
    if (status.state === 'queued') ctx.derivativeQueue.enqueue(sha256);
    return ctx.derivativeQueue.status(sha256);
  };
  // Statuses ride along with the manifest, so before it can draw the viewer needs no request of
  // its own (the follow event carries them) or one (images.forCase), not two.
  const caseImages = (caseId: string): CaseImagesData | null => {
    const record = ctx.cases.get(caseId);
    if (!record) return null;
    const { familyName, givenName, nhsNumber, dateOfBirth } = record.patient;
    return {
      patient: { familyName, givenName, nhsNumber, dateOfBirth },
      images: record.images,
      statuses: [...new Set(record.images.map((i) => i.sha256))].map(statusOf),
    };
  };
  return {
    'images.status': ({ sha256s }) => ({ images: sha256s.map(statusOf) }),
    'images.retry': ({ sha256 }) => {
      ctx.derivativeQueue.enqueue(sha256, { retry: true });
      return { queued: ctx.derivativeQueue.status(sha256).state === 'queued' };
    },
    'images.forCase': ({ caseId }) => {
      const content = caseImages(caseId);
      if (!content) throw new AppError('not-found', 'This case is no longer in the cache.', 'caseId');
      return { caseId, ...content };
    },
    'annotations.get': ({ sha256 }) => ({ ...annotations.get(sha256), syncNote: annotations.syncNote(sha256) }),
    'annotations.save': ({ sha256, doc, expectedRevision }) => annotations.save(sha256, doc, expectedRevision),
    'viewer.follow-case': ({ caseId, open }) => {
      const content = caseId ? caseImages(caseId) : null;
      ctx.events.emit('viewer.case-followed', { caseId, open, ...(content ? { content } : {}) });
      return { ok: true };
    },
  };
}
