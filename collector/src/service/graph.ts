import {
  type Component,
  type Consumer,
  type CreateSettings,
  type Exporter,
  type ExporterFactory,
  type Extension,
  type ExtensionFactory,
  type Logger,
  type Processor,
  type ProcessorFactory,
  type Receiver,
  type ReceiverConsumers,
  type ReceiverFactory,
  type SelfTelemetry,
  type Signal,
} from '@stitch/collector-api';
import type { ComponentConfig, ResolvedConfig } from '../config/resolve.js';
import { FanoutConsumer, type FanoutTarget } from './fanout.js';

export interface RunningComponent {
  id: string;
  kind: 'receiver' | 'processor' | 'exporter' | 'extension';
  /** For processors: the pipeline owning this instance. */
  pipeline?: string;
  component: Component;
}

/** Every component instance of a config, in the order they must start. */
export interface ComponentGraph {
  extensions: RunningComponent[];
  exporters: RunningComponent[];
  /** Per pipeline, last processor first (each starts before whatever feeds it). */
  processors: RunningComponent[];
  receivers: RunningComponent[];
}

/**
 * Builds the component graph the way the OpenTelemetry Collector does: one receiver and one
 * exporter instance however many pipelines use them, one processor instance per pipeline.
 */
export function buildGraph(config: ResolvedConfig, logger: Logger, telemetry: SelfTelemetry): ComponentGraph {
  const settingsFor = (component: ComponentConfig, pipeline?: string): CreateSettings => ({
    id: component.id,
    logger: logger.child({ kind: component.kind, component: component.id, ...(pipeline ? { pipeline } : {}) }),
    telemetry,
  });
  const find = (kind: string, id: string): ComponentConfig => {
    const found = [...config.components.values()].find((c) => c.kind === kind && c.id === id);
    if (!found) throw new Error(`${kind} "${id}" is not configured`);
    return found;
  };

  const extensions = config.extensions.map((id) => {
    const component = find('extension', id);
    const factory = component.factory as ExtensionFactory;
    return { id, kind: 'extension' as const, component: factory.create(settingsFor(component), component.config) as Extension };
  });

  const exporterInstances = new Map<string, Exporter>();
  const exporters: RunningComponent[] = [];
  for (const pipeline of config.pipelines) {
    for (const id of pipeline.exporters) {
      if (exporterInstances.has(id)) continue;
      const component = find('exporter', id);
      const exporter = (component.factory as ExporterFactory).create(settingsFor(component), component.config);
      exporterInstances.set(id, exporter);
      exporters.push({ id, kind: 'exporter', component: exporter });
    }
  }

  const processors: RunningComponent[] = [];
  const pipelineEntries = new Map<string, { consumer: Consumer; mutates: boolean; signal: Signal }>();
  for (const pipeline of config.pipelines) {
    const pipelineLogger = logger.child({ pipeline: pipeline.id });
    let next: Consumer = new FanoutConsumer(
      pipeline.exporters.map((id) => ({ id, consumer: exporterInstances.get(id)!, mutates: false })),
      pipelineLogger,
    );
    let mutates = false;
    for (const id of [...pipeline.processors].reverse()) {
      const component = find('processor', id);
      const processor: Processor = (component.factory as ProcessorFactory).create(
        settingsFor(component, pipeline.id),
        component.config,
        pipeline.signal,
        next,
      );
      mutates ||= processor.mutatesData;
      processors.push({ id, kind: 'processor', pipeline: pipeline.id, component: processor });
      next = processor;
    }
    pipelineEntries.set(pipeline.id, { consumer: next, mutates, signal: pipeline.signal });
  }

  const receivers: RunningComponent[] = [];
  const receiverIds = [...new Set(config.pipelines.flatMap((p) => p.receivers))];
  for (const id of receiverIds) {
    const consumers: ReceiverConsumers = {};
    for (const signal of ['traces', 'logs', 'metrics'] as const) {
      const targets: FanoutTarget<Signal>[] = config.pipelines
        .filter((p) => p.signal === signal && p.receivers.includes(id))
        .map((p) => ({ id: `pipeline ${p.id}`, consumer: pipelineEntries.get(p.id)!.consumer, mutates: pipelineEntries.get(p.id)!.mutates }));
      if (targets.length > 0) (consumers as Record<Signal, Consumer>)[signal] = new FanoutConsumer(targets, logger.child({ receiver: id }));
    }
    const component = find('receiver', id);
    const receiver: Receiver = (component.factory as ReceiverFactory).create(settingsFor(component), component.config, consumers);
    receivers.push({ id, kind: 'receiver', component: receiver });
  }

  return { extensions, exporters, processors, receivers };
}
