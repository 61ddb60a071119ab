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

// System dependencies npm cannot install: the browser tests (test/web/) drive Debian's Chromium.
const CHROMIUM = '/usr/bin/chromium';
function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log(`\n${CHROMIUM} is missing: the browser tests (test/web/) need it; installing the Debian package "chromium"`);
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].find((path) => existsSync(path));
  if (!aptGet) {
    console.error(`cannot install chromium: apt-get is not available on this machine. Install Chromium so that ${CHROMIUM} exists, then run npm test again.`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    console.log(`$ apt-get ${args.join(' ')}`);
    const result = spawnSync(aptGet, args, { cwd: root, stdio: 'inherit', env });
    if (result.error || result.status !== 0) {
      const why = result.error ? result.error.message : `exit code ${result.status}`;
      console.error(`cannot install chromium: apt-get ${args[0]} failed (${why}). Are you root on Debian/Ubuntu? Install it so that ${CHROMIUM} exists.`);
      process.exit(1);
    }
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`apt-get installed chromium but ${CHROMIUM} still does not exist`);
    process.exit(1);
  }
  console.log(`installed ${CHROMIUM}`);
}
ensureChromium();

run('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);

const tests = findTests(root)
  .filter((file) => filters.length === 0 || filters.some((f) => file.startsWith(f)))
  .sort();
if (tests.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
run('node', ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...tests]);
