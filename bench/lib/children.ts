import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A child process with the tail of its output kept for error messages. */
export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<number | null>;
}

const live = new Set<Child>();
let hooked = false;

/** Kills every child still running: on normal exit, on an error, and on Ctrl-C. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllNow();
      process.exit(130);
    });
  }
}

export function killAllNow(): void {
  for (const child of live) {
    try {
      child.proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

function track(name: string, proc: ChildProcess): Child {
  hookExit();
  if (proc.pid === undefined) throw new Error(`${name} did not start`);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const child: Child = {
    name,
    proc,
    pid: proc.pid,
    output: () => tail,
    exited: new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)))),
  };
  live.add(child);
  void child.exited.then(() => live.delete(child));
  return child;
}

/** Forks a TypeScript worker (run through tsx) with an IPC channel. */
export function forkWorker(name: string, file: string, env: NodeJS.ProcessEnv = {}): Child {
  const proc = fork(file, [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return track(name, proc);
}

export function spawnProcess(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return track(name, proc);
}

/** The next IPC message of `type` from a worker; rejects if the worker exits or reports an error first. */
export function nextMessage<T extends { type: string }>(child: Child, type: T['type'], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const m = message as { type?: string; error?: string };
      if (m.type === 'error') {
        cleanup();
        reject(new Error(`${child.name} failed: ${m.error}`));
      } else if (m.type === type) {
        cleanup();
        resolve(m as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${child.name} exited (code ${code}) before sending "${type}"\n${child.output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${child.name} sent no "${type}" within ${timeoutMs} ms\n${child.output()}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.proc.off('message', onMessage);
      child.proc.off('exit', onExit);
    };
    child.proc.on('message', onMessage);
    child.proc.once('exit', onExit);
  });
}

export function send(child: Child, message: object): void {
  child.proc.send(message);
}

/** Asks a child to stop (SIGTERM, or `signal`), then kills it if it is still running after `graceMs`. */
export async function stopChild(child: Child, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return child.exited;
  child.proc.kill(signal);
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
  const code = await child.exited;
  clearTimeout(timer);
  return code;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
