import { parse as parseYaml } from 'yaml';

// ${env:NAME}, ${env:NAME:-default} and the older ${NAME}; $$ escapes a literal $.
const REFERENCE = /\$\$|\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{(?:env:)?[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

export interface SubstitutionResult {
  value: unknown;
  /** Variables referenced without a default and not set. */
  missing: string[];
}

function substituteString(text: string, env: NodeJS.ProcessEnv, missing: Set<string>): unknown {
  const expanded = text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$$') return '$';
    const value = env[name!];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    missing.add(name!);
    return '';
  });
  // A value that is one whole reference takes the type its text has in YAML ("4318" → 4318),
  // as the OpenTelemetry Collector does.
  if (WHOLE_REFERENCE.test(text.trim())) {
    try {
      const typed: unknown = parseYaml(expanded);
      if (typed === null || ['string', 'number', 'boolean'].includes(typeof typed)) return typed ?? expanded;
    } catch {
      return expanded;
    }
  }
  return expanded;
}

function walk(value: unknown, env: NodeJS.ProcessEnv, missing: Set<string>): unknown {
  if (typeof value === 'string') return substituteString(value, env, missing);
  if (Array.isArray(value)) return value.map((item) => walk(item, env, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, env, missing)]));
  }
  return value;
}

/** Expands environment references in every string value of a parsed config. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv = process.env): SubstitutionResult {
  const missing = new Set<string>();
  return { value: walk(value, env, missing), missing: [...missing] };
}
