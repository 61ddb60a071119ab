#!/usr/bin/env node
// `npm test`: type-checks every workspace, then runs every *.test.ts with node's test runner.
// Usage: npm test [-- <path filter>...]   e.g. npm test -- collector/src/receivers
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const SKIP = new Set(['node_modules', '.git', 'data', '.tmp']);

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

function run(command, args) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// System dependencies npm cannot install, from Debian when missing: the browser tests (test/web/)
// drive Chromium; test/prometheus.test.ts runs a real Prometheus and docker/prometheus/ is checked
// with promtool (both in the "prometheus" package).
function ensureDebianPackage(binary, pkg, why) {
  if (existsSync(binary)) return;
  console.log(`\n${binary} is missing: ${why}; installing the Debian package "${pkg}"`);
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].find((path) => existsSync(path));
  if (!aptGet) {
    console.error(`cannot install ${pkg}: apt-get is not available on this machine. Install it so that ${binary} exists, then run npm test again.`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', pkg]]) {
    console.log(`$ apt-get ${args.join(' ')}`);
    const result = spawnSync(aptGet, args, { cwd: root, stdio: 'inherit', env });
    if (result.error || result.status !== 0) {
      const reason = result.error ? result.error.message : `exit code ${result.status}`;
      console.error(`cannot install ${pkg}: apt-get ${args[0]} failed (${reason}). Are you root on Debian/Ubuntu? Install it so that ${binary} exists.`);
      process.exit(1);
    }
  }
  if (!existsSync(binary)) {
    console.error(`apt-get installed ${pkg} but ${binary} still does not exist`);
    process.exit(1);
  }
  console.log(`installed ${binary}`);
}
ensureDebianPackage('/usr/bin/chromium', 'chromium', 'the browser tests (test/web/) need it');
ensureDebianPackage('/usr/bin/prometheus', 'prometheus', 'test/prometheus.test.ts scrapes the collector with a real Prometheus and promtool checks docker/prometheus/');

run('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
// The sessions UI is browser code with JSX: its own compiler settings (the root tsconfig excludes collector/ui/src).
run('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'collector/ui/tsconfig.json', '--noEmit']);

const tests = findTests(root)
  .filter((file) => filters.length === 0 || filters.some((f) => file.startsWith(f)))
  .sort();
if (tests.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
run('node', ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...tests]);
