import { diag } from '@opentelemetry/api';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flushes telemetry when the process is asked to stop, without changing how it stops: if the app
 * has its own handler for the signal, that handler decides when to exit; if not, the signal is
 * raised again after the flush so the process ends exactly as it would have without us.
 */
export function flushOnExit(shutdown: () => Promise<void>, timeoutMs: number): void {
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      process.removeListener(signal, onSignal);
      const appHandlesSignal = process.listenerCount(signal) > 0;
      void withTimeout(shutdown(), timeoutMs).finally(() => {
        if (!appHandlesSignal) process.kill(process.pid, signal);
      });
    };
    process.on(signal, onSignal);
  }
  process.once('beforeExit', () => void withTimeout(shutdown(), timeoutMs));
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      diag.warn(`@stitch/node: telemetry flush took longer than ${ms} ms; exiting without waiting`);
      resolve();
    }, ms);
    timer.unref();
  });
  try {
    await Promise.race([work.catch((e: unknown) => diag.error('@stitch/node: shutdown failed', e)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
