// A real `stitch start --config …` process for reliability tests: started on a config file, killed
// with SIGKILL or stopped with SIGTERM, restarted on the same files.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitForStatus } from '../helpers/ports.js';

const cli = fileURLToPath(new URL('../../collector/bin/stitch.mjs', import.meta.url));

export class StitchProcess {
  stderr = '';
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.stdout!.resume();
  }

  /** Starts the collector and waits until its health check (at `healthUrl`) says ready. */
  static async start(configPath: string, healthUrl: string): Promise<StitchProcess> {
    const process_ = new StitchProcess(spawn(process.execPath, [cli, 'start', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      await waitForStatus(healthUrl, 200, 30_000);
    } catch (error) {
      process_.kill9();
      throw new Error(`${(error as Error).message}\ncollector stderr:\n${process_.stderr}`);
    }
    return process_;
  }

  get pid(): number {
    return this.#child.pid!;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** A crash: no drain, no flush, nothing the process could do about it. */
  kill9(): Promise<void> {
    if (!this.running) return Promise.resolve();
    const exited = once(this.#child, 'exit').then(() => undefined);
    this.#child.kill('SIGKILL');
    return exited;
  }

  /** A graceful stop; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.#child.exitCode;
    const exited = once(this.#child, 'exit');
    this.#child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    return code;
  }
}
