import { parentPort, threadId } from 'node:worker_threads';
import { deriveImage, DeriveError, warmUpDerivation } from './derive-image';
import type { DeriveJob, DeriveReply } from './derive-messages';

/**
 * Entry of the derivation worker thread. Decrypting a 20 MB original, unzipping its pyramid and
 * encrypting a thousand tiles are JavaScript work; here it runs beside, not on, the core's event
 * loop (Electron's main process, where every IPC call and window event is handled). The pixel
 * work itself is libvips's, on its own threads either way.
 */
const port = parentPort;
if (!port) throw new Error('derive-worker must run as a worker thread');

// Warm up first (derive-image.ts, warmUpDerivation); jobs that arrive meanwhile wait for it. A
// failed warm-up only loses the head start.
const warm = warmUpDerivation()
  .catch(() => undefined)
  .then(() => port.postMessage({ type: 'ready' } satisfies DeriveReply));

port.on('message', (job: DeriveJob) => void warm.then(() => run(job)));

function run(job: DeriveJob): void {
  const reply = (message: DeriveReply): void => port?.postMessage(message);
  deriveImage(job.dataDir, Buffer.from(job.key), job.sha256, (fraction) =>
    reply({ id: job.id, type: 'progress', fraction }),
  ).then(
    (meta) => reply({ id: job.id, type: 'done', meta, threadId }),
    (error: unknown) =>
      reply({
        id: job.id,
        type: 'failed',
        code: error instanceof DeriveError ? error.code : 'corrupt',
        message: error instanceof DeriveError ? error.message : 'This image could not be prepared for viewing.',
      }),
  );
}
