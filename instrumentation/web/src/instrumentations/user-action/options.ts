export interface UserActionOptions {
  /** Also create a short `click` / `submit` span (parent of requests it starts). Default true. */
  spans: boolean;
  /** Requests started up to this many ms after an action become children of its span. Default 100. */
  parentWindowMs: number;
}

export const defaultUserActionOptions: UserActionOptions = { spans: true, parentWindowMs: 100 };

export function userActionOptions(options: Record<string, unknown>): UserActionOptions {
  return { ...defaultUserActionOptions, ...(options as Partial<UserActionOptions>) };
}
