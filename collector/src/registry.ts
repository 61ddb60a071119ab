import type { AnyFactory, ComponentKind } from '@stitch/collector-api';

/** Maps YAML type names (`otlphttp`, `batch`) to component factories. */
export class Registry {
  readonly #factories = new Map<string, AnyFactory>();

  constructor(factories: readonly AnyFactory[]) {
    for (const factory of factories) {
      const key = `${factory.kind}:${factory.type}`;
      if (this.#factories.has(key)) throw new Error(`two ${factory.kind} factories are named "${factory.type}"`);
      this.#factories.set(key, factory);
    }
  }

  get(kind: ComponentKind, type: string): AnyFactory | undefined {
    return this.#factories.get(`${kind}:${type}`);
  }

  types(kind: ComponentKind): string[] {
    return [...this.#factories.values()].filter((f) => f.kind === kind).map((f) => f.type).sort();
  }

  all(): AnyFactory[] {
    return [...this.#factories.values()];
  }
}
