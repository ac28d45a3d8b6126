import S3rver from 's3rver';
import { makeTempDir } from './temp-dir';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** The S3 client settings for this server (s3rver's fixed credentials, path-style). */
  client: {
    endpoint: string;
    region: string;
    forcePathStyle: true;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  close(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver) on a free loopback port, its data in a temp directory.
 * What s3rver does not cover: server-side encryption is accepted but not applied, signatures are
 * checked only for form; versioning, lifecycle rules and IAM policies are not implemented.
 */
export async function startTestS3(bucket = 'dermdesk-test'): Promise<TestS3> {
  const dir = makeTempDir('dermdesk-s3-');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir.path,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  let closed = false;
  return {
    endpoint,
    bucket,
    client: {
      endpoint,
      region: 'eu-west-2',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    },
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      dir.remove();
    },
  };
}
