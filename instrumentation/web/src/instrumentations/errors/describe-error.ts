const MAX_MESSAGE = 2_000;
const MAX_STACK = 16_000;

export interface ErrorDescription {
  type: string;
  message: string;
  stack?: string;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * exception.type / message / stacktrace of anything thrown or rejected. Duck-typed, so errors from
 * other realms (iframes) and DOMExceptions work; non-errors become type 'Error' with their text.
 */
export function describeError(value: unknown, fallbackType = 'Error'): ErrorDescription {
  const e = value as { name?: unknown; message?: unknown; stack?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    const d: ErrorDescription = {
      type: typeof e.name === 'string' && e.name ? e.name : fallbackType,
      message: e.message.slice(0, MAX_MESSAGE),
    };
    if (typeof e.stack === 'string' && e.stack) d.stack = e.stack.slice(0, MAX_STACK);
    return d;
  }
  return { type: fallbackType, message: stringify(value).slice(0, MAX_MESSAGE) };
}

/** console.error arguments → one description: the first Error's stack, all arguments as the message. */
export function describeConsoleArgs(args: readonly unknown[]): ErrorDescription {
  const error = args.find((a) => a instanceof Error);
  const message = args.map((a) => (a instanceof Error ? a.message : stringify(a))).join(' ').slice(0, MAX_MESSAGE);
  return { ...(error ? describeError(error) : { type: 'ConsoleError' }), message };
}
