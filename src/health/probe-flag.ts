/**
 * The probe's read of the active-region parameter for a `DataPlaneSwitch`: once per invocation,
 * in the probe's own region, turned into one `RegionEnabled` datum per region of the set. A value
 * that cannot be read, or that names no region of the set, publishes nothing: the switch alarms
 * treat missing data as "keep the last state", so a failed read never moves traffic. No Lambda
 * or SDK types: the handler adapts.
 */
import { ActiveRegionRead, DIMENSIONS, FLAG_READ_TIMEOUT_MS, METRICS } from './probe-contract';
import type { Datum } from './probe-run';

/** Reads a parameter's value; the handler passes an SSM client, tests a fake. */
export interface FlagReader {
  /** The value of `name`; throws when it cannot be read; gives up after `timeoutMs`. */
  read(name: string, timeoutMs: number): Promise<string>;
}

/** What one read found. */
export interface FlagReport {
  /** The region the parameter names, when it names one of the set. */
  readonly value?: string;
  /** Why nothing was published. */
  readonly error?: string;
}

/** Reads the parameter and checks that it names a region of the set. */
export async function readFlag(read: ActiveRegionRead, reader: FlagReader | undefined): Promise<FlagReport> {
  if (!reader) {
    return { error: 'no parameter reader was given to the probe' };
  }
  let raw: string;
  try {
    raw = await reader.read(read.parameterName, FLAG_READ_TIMEOUT_MS);
  } catch (e) {
    return { error: `GetParameter ${read.parameterName} failed: ${(e as Error).message ?? String(e)}` };
  }
  const value = raw.trim();
  if (!read.regions.includes(value)) {
    // A typo must not pull every region: publishing nothing keeps the last decision.
    return { error: `${read.parameterName} holds ${JSON.stringify(raw)}, which names none of ${read.regions.join(', ')}: nothing published` };
  }
  return { value };
}

/** One `RegionEnabled` datum per region: 1 for the region the parameter names, 0 for the others. */
export function flagData(probe: string, read: ActiveRegionRead, value: string, at: number): Datum[] {
  const timestamp = new Date(at);
  return read.regions.map((region) => ({
    MetricName: METRICS.regionEnabled,
    Dimensions: [{ Name: DIMENSIONS.probe, Value: probe }, { Name: DIMENSIONS.region, Value: region }],
    Timestamp: timestamp,
    Value: region === value ? 1 : 0,
    Unit: 'Count' as const,
  }));
}
