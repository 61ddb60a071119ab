#!/usr/bin/env node
// `npm test`: type-checks every workspace, then runs every *.test.ts with node's test runner.
// Usage: npm test [-- <path filter>...]   e.g. npm test -- collector/src/receivers
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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

run('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);

const tests = findTests(root)
  .filter((file) => filters.length === 0 || filters.some((f) => file.startsWith(f)))
  .sort();
if (tests.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
run('node', ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...tests]);
