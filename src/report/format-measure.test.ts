import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatLatency, formatRate } from './format-measure.js';

describe('format-measure', () => {
  it('prints counts, latencies, rates and durations the same on every machine', () => {
    expect(formatCount(1284)).toBe('1,284');
    expect([formatLatency(null), formatLatency(0.25), formatLatency(9.44), formatLatency(48.5), formatLatency(1250)]).toEqual([
      '–',
      '0.3 ms',
      '9.4 ms',
      '49 ms',
      '1.25 s',
    ]);
    expect([formatRate(null), formatRate(0), formatRate(2 / 3), formatRate(1)]).toEqual(['–', '0.0%', '66.7%', '100.0%']);
    expect([formatDuration(850), formatDuration(8412), formatDuration(92_500)]).toEqual(['850 ms', '8.4 s', '1m 33s']);
  });
});
