import type { DatabaseProbeSummary } from '../mongo/probe/probe-summary.js';
import { readableTime, shortCounts } from '../mongo/probe/probe-summary.js';
import { formatDuration } from './format-measure.js';
import type { TerminalPalette } from './terminal-color.js';
import { renderTextTable, type TableCell } from './text-table.js';

/**
 * `ackproof probe-db` for a terminal: the database and when it was measured, one row per property (verdict, writes,
 * anomalies, the patterns that need it), what each broken or undecided property means for a chat store, and the
 * verdict line.
 */
export function renderProbeTable(summary: DatabaseProbeSummary, palette: TerminalPalette): string {
  const paint = (verdict: string) => (verdict === 'holds' ? palette.pass : verdict === 'broken' ? palette.fail : palette.unknown);
  const label = (verdict: string) => (verdict === 'holds' ? 'holds' : verdict.toUpperCase());
  const when =
    summary.source === 'measured'
      ? `measured now in ${formatDuration(summary.durationMs)}`
      : `${summary.source === 'cache' ? 'cached result' : 'result handed over by the parent process'}, measured ${readableTime(summary.measuredAt)} in ${formatDuration(summary.durationMs)} (--fresh measures again)`;
  const header = ['property', 'verdict', 'writes', 'acked', 'anomalies', 'needed by'].map((text) => ({ text, paint: palette.bold }));
  const rows = summary.properties.map((p): (TableCell | string)[] => [
    p.property,
    { text: label(p.verdict), paint: paint(p.verdict) },
    { text: p.counts ? String(p.counts.attempts) : '–', align: 'right' },
    { text: p.counts ? String(p.counts.acknowledged) : '–', align: 'right' },
    p.counts && p.verdict !== 'unknown' ? shortCounts(p.counts) : 'could not decide',
    p.requiredBy.length > 0 ? p.requiredBy.join(', ') : { text: '–', paint: palette.dim },
  ]);
  const lines = [
    paint(summary.verdict)(`ackproof probe-db: ${summary.database}: ${label(summary.verdict)}`),
    palette.dim(when),
    '',
    ...renderTextTable([header, ...rows], '  '),
  ];
  const notable = summary.properties.filter((p) => p.verdict !== 'holds');
  if (notable.length > 0) lines.push('', palette.bold('What it means for a chat store'));
  for (const p of notable) {
    lines.push(`  ${paint(p.verdict)(p.property)}: ${p.reason}.`, `    ${p.meaning}`);
  }
  lines.push('', verdictLine(summary, palette));
  return `${lines.join('\n')}\n`;
}

function verdictLine(summary: DatabaseProbeSummary, palette: TerminalPalette): string {
  const broken = summary.properties.filter((p) => p.verdict === 'broken').map((p) => p.property);
  const needed = summary.unmet.broken;
  if (broken.length > 0) {
    const store =
      needed.length > 0
        ? palette.fail(`The reference store needs ${needed.join(', ')}: \`ackproof serve\` refuses this database (--unsafe-database overrides).`)
        : 'The reference store needs none of them.';
    return `${palette.fail(`Broken: this database breaks what MongoDB documents for single-document writes (${broken.join(', ')}).`)} ${store}`;
  }
  if (summary.verdict === 'unknown') {
    return palette.unknown(`Undecided: the probe could not decide ${summary.properties.filter((p) => p.verdict === 'unknown').map((p) => p.property).join(', ')}.`);
  }
  return palette.pass('Every property holds: concurrent single-document writes and unique indexes behave as MongoDB documents.');
}
