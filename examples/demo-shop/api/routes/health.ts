import type { Router } from 'express';

/** Readiness for scripts and probes. It does not touch the store, so polling it adds no DB spans. */
export function mountHealthRoutes(router: Router): void {
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
}
