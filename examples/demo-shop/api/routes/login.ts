import type { Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { verifyPassword } from '../passwords.js';
import { bodyOf, email, text } from '../validate.js';

/** The same answer for an unknown e-mail and a wrong password: the client must not learn which. */
const INVALID = { error: 'invalid email or password' };

export function mountLoginRoutes(router: Router, db: Knex, logger: Logger): void {
  router.post('/login', async (req, res) => {
    const body = bodyOf(req);
    const address = email(body.email);
    const password = text(body.password, 'password', 1024);
    const user: { id: number; email: string; name: string; password_hash: string } | undefined = await db('users').where({ email: address }).first();
    const ok = user ? await verifyPassword(password, user.password_hash) : false;
    if (!user || !ok) {
      // The domain only: the address itself is personal data and has no business in the logs.
      logger.warn({ reason: user ? 'wrong password' : 'unknown email', emailDomain: address.split('@')[1] }, 'login failed');
      res.status(401).json(INVALID);
      return;
    }
    logger.info({ userId: user.id }, 'login succeeded');
    res.json({ user: { id: user.id, email: user.email, name: user.name } });
  });
}
