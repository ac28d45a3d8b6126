import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './fixtures';

/**
 * The hub as its own OS process through the real CLI (`tsx src/hub/cli.ts`), for tests that need
 * two processes on one data dir or a hub killed with SIGKILL.
 */
export interface HubProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnHubProcess(
  dataDir: string,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
  /** The entry point: the real CLI, or a test launcher such as tests/support/hub-on-file-clock.ts. */
  script = 'src/hub/cli.ts',
): Promise<HubProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, '--port', '0', '--data-dir', dataDir, ...extraArgs],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub process did not start:\n${out}`)), 120_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub process exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
