// What a viewer must not see: the user's e-mail and name, wherever they appear in an answer
// (session summaries, and the attributes of events and spans that carried them).
import { hasRole, type Actor } from './auth.js';

/** Summary fields holding a person's e-mail or name. */
const PERSONAL_FIELDS = new Set(['userEmail', 'userName']);
/** Attribute keys (semantic conventions and common variants) holding the same. */
const PERSONAL_ATTRIBUTES = new Set(['user.email', 'user.name', 'user.full_name', 'enduser.email', 'enduser.name']);

/** A copy of `value` without personal fields and attributes at any depth. */
export function withoutPersonalData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutPersonalData) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (PERSONAL_FIELDS.has(key) || PERSONAL_ATTRIBUTES.has(key)) continue;
    out[key] = withoutPersonalData(inner);
  }
  return out as T;
}

/** The answer as this actor may see it: analysts and admins get it whole, viewers without e-mail and name. */
export function forActor<T>(actor: Actor | undefined, body: T): T {
  return actor && hasRole(actor, 'analyst') ? body : withoutPersonalData(body);
}
