import { duration, z } from '@stitch/collector-api';

const MIB = 1024 * 1024;
/** What the limits default to when neither `limit_mib` nor `limit_percentage` is set. */
export const DEFAULT_LIMIT_MIB = 512;
/** `spike_limit_*` defaults to this share of the limit (128 MiB of the default 512). */
export const DEFAULT_SPIKE_SHARE = 0.25;

export const memoryLimiterConfigSchema = z
  .strictObject({
    /** How often memory is sampled; refusals start and stop only at a sample. */
    check_interval: duration().default(1_000),
    /** Hard limit on the process's resident memory, in MiB. Default 512 unless `limit_percentage` is set. */
    limit_mib: z.number().int().positive().optional(),
    /** Headroom below the hard limit for one interval's growth: soft limit = limit − spike. Default a quarter of the limit. */
    spike_limit_mib: z.number().int().nonnegative().optional(),
    /** Hard limit as a percentage of the memory available to the process (cgroup limit or RAM). */
    limit_percentage: z.number().int().min(1).max(100).optional(),
    /** Spike headroom as a percentage of the same memory; goes with `limit_percentage`. */
    spike_limit_percentage: z.number().int().min(0).max(100).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.check_interval <= 0) ctx.addIssue({ code: 'custom', path: ['check_interval'], message: 'check_interval must be greater than 0', input: c.check_interval });
    if (c.limit_mib !== undefined && c.limit_percentage !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['limit_percentage'], message: 'set limit_mib or limit_percentage, not both', input: c.limit_percentage });
    }
    if (c.limit_percentage === undefined && c.spike_limit_percentage !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['spike_limit_percentage'], message: 'spike_limit_percentage needs limit_percentage (with limit_mib use spike_limit_mib)', input: c.spike_limit_percentage });
    }
    if (c.limit_percentage !== undefined && c.spike_limit_mib !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['spike_limit_mib'], message: 'spike_limit_mib needs limit_mib (with limit_percentage use spike_limit_percentage)', input: c.spike_limit_mib });
    }
    const limitMib = c.limit_mib ?? (c.limit_percentage === undefined ? DEFAULT_LIMIT_MIB : undefined);
    if (limitMib !== undefined && c.spike_limit_mib !== undefined && c.spike_limit_mib >= limitMib) {
      ctx.addIssue({ code: 'custom', path: ['spike_limit_mib'], message: `spike_limit_mib must be less than limit_mib (${limitMib})`, input: c.spike_limit_mib });
    }
    if (c.limit_percentage !== undefined && c.spike_limit_percentage !== undefined && c.spike_limit_percentage >= c.limit_percentage) {
      ctx.addIssue({ code: 'custom', path: ['spike_limit_percentage'], message: `spike_limit_percentage must be less than limit_percentage (${c.limit_percentage})`, input: c.spike_limit_percentage });
    }
  });

export type MemoryLimiterConfig = z.output<typeof memoryLimiterConfigSchema>;

/** The two thresholds, in bytes of resident memory. */
export interface MemoryLimits {
  hardBytes: number;
  softBytes: number;
}

/** Turns the config into byte limits; percentages are of `availableBytes` (see `availableMemoryBytes`). */
export function resolveLimits(config: MemoryLimiterConfig, availableBytes: number): MemoryLimits {
  if (config.limit_percentage !== undefined) {
    const hardBytes = Math.floor((availableBytes * config.limit_percentage) / 100);
    const spikeBytes =
      config.spike_limit_percentage !== undefined ? Math.floor((availableBytes * config.spike_limit_percentage) / 100) : Math.floor(hardBytes * DEFAULT_SPIKE_SHARE);
    return { hardBytes, softBytes: hardBytes - spikeBytes };
  }
  const limitMib = config.limit_mib ?? DEFAULT_LIMIT_MIB;
  const spikeMib = config.spike_limit_mib ?? Math.floor(limitMib * DEFAULT_SPIKE_SHARE);
  return { hardBytes: limitMib * MIB, softBytes: (limitMib - spikeMib) * MIB };
}
