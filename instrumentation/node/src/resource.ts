import type { Attributes } from '@opentelemetry/api';
import { getResourceDetectors } from '@opentelemetry/auto-instrumentations-node';
import {
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  serviceInstanceIdDetector,
  type ResourceDetector,
} from '@opentelemetry/resources';
import type { StitchNodeOptions } from './options.js';

/**
 * Local detectors only by default: env (OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME), host, OS,
 * process and a service instance id. Cloud detectors probe metadata endpoints over the network at
 * start, so they run only when OTEL_NODE_RESOURCE_DETECTORS asks for them. Explicit options come
 * last because later detectors win the merge.
 */
export function resourceDetectors(options: StitchNodeOptions): ResourceDetector[] {
  const detectors = process.env.OTEL_NODE_RESOURCE_DETECTORS
    ? getResourceDetectors()
    : [envDetector, hostDetector, osDetector, processDetector, serviceInstanceIdDetector];
  const explicit = explicitAttributes(options);
  if (Object.keys(explicit).length > 0) detectors.push({ detect: () => ({ attributes: explicit }) });
  return detectors;
}

function explicitAttributes(options: StitchNodeOptions): Attributes {
  return {
    ...options.resourceAttributes,
    ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
    ...(options.environment ? { 'deployment.environment.name': options.environment } : {}),
  };
}
