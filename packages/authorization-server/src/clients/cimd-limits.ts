/**
 * The bounds on fetching and caching Client ID Metadata Documents (CIMD §6.6 recommends 5 KB;
 * §4.4 lets an AS bound the cache), with their defaults: part of the AS config (config.ts).
 */
import { ConfigError } from '@mcp-auth-demo/common';

export interface CimdLimits {
  /** Largest document accepted, bytes. CIMD §6.6 recommends 5 KB. Default 5120. */
  maxBytes: number;
  /** Time allowed for the whole fetch (headers and body), ms. Default 3000. */
  timeoutMs: number;
  /** Cache lifetime when the response has no `Cache-Control`, seconds. Default 300. */
  defaultCacheSeconds: number;
  /** Upper bound on any cache lifetime, seconds (CIMD §4.4 allows AS bounds). Default 3600. */
  maxCacheSeconds: number;
  /** Most documents cached at once. Default 1000. */
  maxCacheEntries: number;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`cimd.${name} must be a positive integer, got ${value}`);
  return value;
}

/** Fills in the defaults; throws a `ConfigError` naming a bad field. */
export function resolveCimdLimits(input: Partial<CimdLimits> = {}): CimdLimits {
  const cimd: CimdLimits = {
    maxBytes: positiveInteger('maxBytes', input.maxBytes ?? 5 * 1024),
    timeoutMs: positiveInteger('timeoutMs', input.timeoutMs ?? 3000),
    defaultCacheSeconds: input.defaultCacheSeconds ?? 300,
    maxCacheSeconds: input.maxCacheSeconds ?? 3600,
    maxCacheEntries: positiveInteger('maxCacheEntries', input.maxCacheEntries ?? 1000),
  };
  if (!(cimd.defaultCacheSeconds >= 0 && cimd.maxCacheSeconds >= 0)) throw new ConfigError('cimd cache lifetimes must be >= 0');
  return cimd;
}
