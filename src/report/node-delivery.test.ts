import { describe, expect, it } from 'vitest';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { nodeDeliveryLines } from './node-delivery.js';
import { renderMarkdownReport } from './markdown-report.js';

describe('nodeDeliveryLines', () => {
  it('says nothing for a single-node result, and per node and across nodes for several', () => {
    const result = runResultFixture();
    expect(nodeDeliveryLines(result)).toEqual([]);
    result.cases[0]!.check.measures.nodes = {
      byNode: { n1: { pairs: 4, live: 1 }, n0: { pairs: 2, live: 2 } },
      crossNode: { pairs: 4, live: 1 },
    };
    expect(nodeDeliveryLines(result)).toEqual([
      'Live delivery per node',
      `  ${result.cases[0]!.id}: across nodes 25.0% (1/4); per receiving node n0 100.0%, n1 25.0%`,
    ]);
    expect(renderMarkdownReport(result)).toMatch(/\*\*Live delivery per node\*\*\n\n- broadcast-throws\/reference:coupled: across nodes 25\.0%/);
  });
});
