import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp dir, `pg_ctl start` on a free
 * loopback port, stopped and deleted at the end. Debian's postgresql package (binaries under
 * /usr/lib/postgresql/<major>/bin, or on PATH). PostgreSQL refuses to run as root, so as root
 * the cluster belongs to the `postgres` user (runuser), as CI's Debian package creates it.
 */
export interface PostgresCluster {
  dir: string;
  port: number;
  /** The superuser's URL to the maintenance database (create per-test databases from it). */
  adminUrl: string;
}

export function postgresBinDir(): string {
  const fromEnv = process.env.DERMDESK_PG_BIN;
  if (fromEnv) return fromEnv;
  for (const major of ['17', '16', '15', '14', '13']) {
    const dir = `/usr/lib/postgresql/${major}/bin`;
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error('PostgreSQL is not installed: apt-get install postgresql (the tests need initdb and pg_ctl).');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function pgRun(bin: string, args: string[]): string {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'dermdesk-pg-'));
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const data = join(dir, 'data');
  pgRun(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  const port = await freePort();
  // fsync off: a test cluster is thrown away; durability is not what it tests.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`;
  pgRun(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  return { dir, port, adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres` };
}

export function stopPostgresCluster(dir: string): void {
  const data = join(dir, 'data');
  try {
    if (existsSync(join(data, 'postmaster.pid')))
      pgRun(join(postgresBinDir(), 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
