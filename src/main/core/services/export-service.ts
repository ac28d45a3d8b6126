import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from './core-context';
import { requireConsultant } from '../decisions/current-consultant';
import { exportAnnotatedImage, type ExportFiles } from '../images/export-annotated';

type ExportHandlers = Pick<Handlers, 'images.exportAnnotated'>;

export function exportHandlers(ctx: CoreContext & { files: ExportFiles }): ExportHandlers {
  return {
    'images.exportAnnotated': async (input) =>
      exportAnnotatedImage(
        ctx.db,
        ctx.files,
        input,
        requireConsultant(ctx.db, 'an export is recorded under your name').id,
        ctx.now(),
        ctx.journal,
      ),
  };
}
