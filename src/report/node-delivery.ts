import type { RunResult } from '../harness/result/result-model.js';
import { formatRate } from './format-measure.js';

/**
 * Several nodes: one line per case that ran on them, live delivery per receiving node and across nodes (what only
 * the fan-out between nodes can deliver live). Nothing for single-node results.
 */
export function nodeDeliveryLines(result: RunResult): string[] {
  const lines = result.cases.flatMap((c) => {
    const nodes = c.check.measures.nodes;
    if (!nodes) return [];
    const rate = ({ pairs, live }: { pairs: number; live: number }) => (pairs === 0 ? '–' : formatRate(live / pairs));
    const per = Object.entries(nodes.byNode).sort(([a], [b]) => a.localeCompare(b)).map(([node, n]) => `${node} ${rate(n)}`);
    return [`  ${c.id}: across nodes ${rate(nodes.crossNode)} (${nodes.crossNode.live}/${nodes.crossNode.pairs}); per receiving node ${per.join(', ')}`];
  });
  return lines.length > 0 ? ['Live delivery per node', ...lines] : [];
}
