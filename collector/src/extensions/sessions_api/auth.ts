// Bearer tokens → roles. Tokens come from config; the request's token is compared with each in
// constant time, and no token is ever put in a log line, an error or the audit log.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { AuthToken, Role } from './config.js';

/** Who made a request: the token holder's name and role, or the open (no-auth, loopback) mode. */
export interface Actor {
  name: string;
  role: Role;
}

/** Without `auth` (loopback only) every caller may do everything, as before roles existed. */
export const OPEN_ACTOR: Actor = { name: 'anonymous', role: 'admin' };

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

export function hasRole(actor: Actor, needed: Role): boolean {
  return RANK[actor.role] >= RANK[needed];
}

// Hashing first gives equal-length buffers, so timingSafeEqual never leaks the token's length.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export class TokenTable {
  readonly #entries: { digest: Buffer; actor: Actor }[];

  constructor(tokens: readonly AuthToken[]) {
    this.#entries = tokens.map((t) => ({ digest: digest(t.token), actor: { name: t.name, role: t.role } }));
  }

  /** The token's holder, or undefined. Every entry is compared, so timing says nothing of which one matched. */
  find(token: string): Actor | undefined {
    const candidate = digest(token);
    let found: Actor | undefined;
    for (const entry of this.#entries) if (timingSafeEqual(entry.digest, candidate)) found ??= entry.actor;
    return found;
  }
}

/** The token of `Authorization: Bearer …`, or undefined when there is none. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate`. */
    actor?: Actor;
  }
}

/** Sets `request.actor`, or answers 401. `tokens` undefined: open mode (no auth configured). */
export function authenticate(tokens: TokenTable | undefined): RequestHandler {
  return (request, response, next) => {
    if (!tokens) {
      request.actor = OPEN_ACTOR;
      next();
      return;
    }
    const token = bearerToken(request);
    const actor = token === undefined ? undefined : tokens.find(token);
    if (!actor) {
      response.setHeader('www-authenticate', token === undefined ? 'Bearer realm="stitch"' : 'Bearer realm="stitch", error="invalid_token"');
      response.status(401).json({
        error: token === undefined ? 'authentication required: send Authorization: Bearer <token>' : 'the bearer token is not valid',
      });
      return;
    }
    request.actor = actor;
    next();
  };
}

/** 403 unless the actor has at least `needed`. Runs after `authenticate`. */
export function requireRole(needed: Role): RequestHandler {
  return (request, response, next) => {
    const actor = request.actor;
    if (actor && hasRole(actor, needed)) {
      next();
      return;
    }
    response.status(403).json({ error: `this endpoint needs the ${needed} role; your token has ${actor?.role ?? 'none'}`, requiredRole: needed });
  };
}
