import { FaultSpecError } from '../fault-spec-error.js';
import type { ToxicSpec } from '../toxic.js';

/** Reads a non-negative number attribute of a toxic spec, or its default; a wrong value names the toxic and field. */
export function numberAttribute(spec: ToxicSpec, key: string, fallback?: number): number {
  const value = spec.attributes?.[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FaultSpecError(
      `toxic "${spec.name}" (${spec.type}): attribute "${key}" must be a number >= 0, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Reads an optional list-of-strings attribute (a single string counts as a list of one). */
export function stringListAttribute(spec: ToxicSpec, key: string): string[] | undefined {
  const value = spec.attributes?.[key];
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || item.length === 0)) {
    throw new FaultSpecError(
      `toxic "${spec.name}" (${spec.type}): attribute "${key}" must be a non-empty string or a list of them`,
    );
  }
  return list as string[];
}
