// Runs a fixture app as a real child process (optionally under `--import @stitch/node/register`)
// and stops it the way an orchestrator does: SIGTERM, then wait for the exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface AppProcess {
  baseUrl: string;
  /** Every stdout line the app printed (JSON lines are how fixtures report). */
  stdout: string[];
  stderr: string[];
  /** SIGTERM (SIGKILL after 10 s, so a test never hangs on a process that ignores it); resolves with how it ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startApp(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { ...process.env, OTEL_METRICS_EXPORTER: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(...chunk.split('\n').filter(Boolean)));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not report a port in 20 s; stderr: ${stderr.join('\n')}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        stdout.push(line);
        const port = tryJson(line)?.port;
        if (typeof port === 'number') {
          clearTimeout(timer);
          resolve(port);
        }
      }
    });
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited early (code ${code}, signal ${signal}); stderr: ${stderr.join('\n')}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stdout,
    stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const [code, signal] = await exited;
      clearTimeout(killer);
      return { code, signal };
    },
  };
}

export function tryJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
