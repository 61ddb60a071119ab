import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ConfigProblem } from '@stitch/collector-api';
import type { Registry } from '../registry.js';
import { substituteEnv } from './env.js';
import { resolveConfig, type ResolveResult } from './resolve.js';

/** Reads, expands and validates a config file; every problem comes back with its key path. */
export function loadConfigFile(path: string, registry: Registry, env: NodeJS.ProcessEnv = process.env): ResolveResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail({ path: '(file)', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
  }
  return loadConfigText(text, registry, env);
}

export function loadConfigText(text: string, registry: Registry, env: NodeJS.ProcessEnv = process.env): ResolveResult {
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message.split('\n')[0]! : String(error);
    return fail({ path: '(yaml)', message: `not valid YAML: ${message}` });
  }
  const { value, missing } = substituteEnv(parsed, env);
  const result = resolveConfig(value, registry);
  for (const name of missing) {
    result.warnings.push({ path: `\${env:${name}}`, message: 'environment variable is not set and has no default; used an empty value' });
  }
  return result;
}

function fail(problem: ConfigProblem): ResolveResult {
  return { ok: false, problems: [problem], warnings: [] };
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
}
