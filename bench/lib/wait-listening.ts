import { connect } from 'node:net';
import type { Child } from './children.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until `child` accepts connections on 127.0.0.1:`port`; fails with its output if it exits or takes too long. */
export async function waitUntilListening(child: Child, port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (child.proc.exitCode !== null) throw new Error(`${what} exited with code ${child.proc.exitCode} while starting:\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s:\n${child.output()}`);
    await sleep(100);
  }
}
