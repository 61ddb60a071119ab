export interface ErrorsOptions {
  /** Also report `console.error(...)` calls. Off by default. */
  captureConsole: boolean;
  /** The same error (source, type, message) is reported at most once per this many ms. Default 1000. */
  dedupeWindowMs: number;
  /** At most this many error events per page load. Default 100. */
  maxPerPage: number;
}

export const defaultErrorsOptions: ErrorsOptions = { captureConsole: false, dedupeWindowMs: 1000, maxPerPage: 100 };

export function errorsOptions(options: Record<string, unknown>): ErrorsOptions {
  return { ...defaultErrorsOptions, ...(options as Partial<ErrorsOptions>) };
}
