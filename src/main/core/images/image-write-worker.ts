import { parentPort, workerData } from 'node:worker_threads';
import { PartWriterHost, type PartWriteRequest } from './part-writers';

/**
 * Entry of the image write worker thread: hashing, encrypting and writing downloaded photographs
 * (part-writer.ts) beside, not on, the core's event loop, with one blocking system call per step
 * instead of a thread-pool round trip (only the fsync waits on the pool, so one image's fsync
 * never stalls another's writes).
 */
const port = parentPort;
if (!port) throw new Error('image-write-worker must run as a worker thread');
const host = new PartWriterHost(Buffer.from((workerData as { key: Uint8Array }).key));

port.on('message', ({ seq, request }: { seq: number; request: PartWriteRequest }) => {
  host.handle(request).then(
    (value) => port.postMessage({ seq, value }),
    (error: unknown) => port.postMessage({ seq, error: error instanceof Error ? error.message : String(error) }),
  );
});
