#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step between a checkout and a running collector.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
