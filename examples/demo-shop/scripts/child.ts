// One child process of the demo stack: its output piped line by line under a name, readiness by
// polling a URL, and a stop that asks (SIGTERM) before it insists (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readableLogLine } from './log-lines.js';

export interface ChildOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Receives each output line, already prefixed with the child's name. */
  log: (line: string) => void;
  /** Which raw lines to pass to `log` (all of them by default); the rest only go to recentOutput(). */
  filter?: (line: string) => boolean;
}

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process ends, whoever ended it. */
  readonly exited: Promise<number | string>;
  /** The last output lines, for error messages. */
  recentOutput(): string[];
  /** Polls `url` until it answers 200; fails early when the process exits first. */
  waitUntilReady(url: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const RECENT_LINES = 20;

export function startChild(options: ChildOptions): Child {
  // detached: a process group of its own, so Ctrl-C in the terminal reaches only the parent, which
  // then stops the children in order (the API must flush into a collector that is still running;
  // the collector takes a second signal as "exit now, skip the drain").
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const recent: string[] = [];
  const prefix = `[${options.name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > RECENT_LINES) recent.shift();
      if (options.filter && !options.filter(line)) return;
      options.log(`${prefix}${readableLogLine(line)}`);
    });
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => {
      recent.push(error.message);
      resolve(`spawn error: ${error.message}`);
    });
  });
  let done = false;
  void exited.then(() => (done = true));

  return {
    name: options.name,
    process: child,
    exited,
    recentOutput: () => [...recent],
    async waitUntilReady(url, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer yet';
      while (Date.now() < deadline) {
        if (done) {
          throw new Error(`${options.name} exited (${await exited}) before it was ready; its last output:\n  ${recent.join('\n  ') || '(none)'}`);
        }
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
          await response.arrayBuffer();
          if (response.status === 200) return;
          last = `HTTP ${response.status}`;
        } catch (error) {
          last = (error as Error).message;
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      throw new Error(`${options.name} was not ready at ${url} within ${timeoutMs} ms (last: ${last})`);
    },
    async stop(graceMs = 10_000) {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        options.log(`${prefix}still running ${graceMs / 1000} s after SIGTERM: SIGKILL`);
        child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
