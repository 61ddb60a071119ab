import type { z } from 'zod';
import type { Signal } from '../model/batch.js';
import type { Consumer, CreateSettings, Exporter, Extension, Processor, Receiver } from './interfaces.js';

export type ComponentKind = 'receiver' | 'processor' | 'exporter' | 'extension';
export type Stability = 'development' | 'alpha' | 'beta' | 'stable';

interface FactoryBase<C> {
  /** The type name used in YAML, e.g. `otlphttp`. */
  readonly type: string;
  readonly stability: Stability;
  /** Validates the YAML value and fills defaults; unknown keys are errors. */
  readonly configSchema: z.ZodType<C>;
}

export interface ReceiverFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'receiver';
  readonly signals: readonly Signal[];
  create(settings: CreateSettings, config: C, consumers: ReceiverConsumers): Receiver;
}

/** The next consumer for each signal the receiver feeds (absent when no pipeline uses it). */
export type ReceiverConsumers = { [S in Signal]?: Consumer<S> };

export interface ProcessorFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'processor';
  readonly signals: readonly Signal[];
  create<S extends Signal>(settings: CreateSettings, config: C, signal: S, next: Consumer<S>): Processor<S>;
}

export interface ExporterFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'exporter';
  readonly signals: readonly Signal[];
  create(settings: CreateSettings, config: C): Exporter;
}

export interface ExtensionFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'extension';
  create(settings: CreateSettings, config: C): Extension;
}

export type AnyFactory = ReceiverFactory<any> | ProcessorFactory<any> | ExporterFactory<any> | ExtensionFactory<any>;
