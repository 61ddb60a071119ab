// System tools npm cannot install (Prometheus, promtool): installed from Debian with apt-get, only
// when the binary is missing. `npm test` (scripts/test.mjs) does the same before any test runs;
// this covers a test file run on its own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Makes sure `binary` exists, installing Debian package `pkg` if not; returns why it could not, or undefined. */
export function ensureDebianPackage(binary: string, pkg: string): string | undefined {
  if (existsSync(binary)) return undefined;
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].find((path) => existsSync(path));
  if (!aptGet) return `${binary} is missing and apt-get is not available: install ${pkg}`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', pkg]]) {
    const result = spawnSync(aptGet, args, { stdio: 'ignore', env, timeout: 300_000 });
    if (result.error || result.status !== 0) return `apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit code ${result.status}`}): install ${pkg} so that ${binary} exists`;
  }
  return existsSync(binary) ? undefined : `apt-get installed ${pkg} but ${binary} does not exist`;
}
