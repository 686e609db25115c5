import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtmlReport } from './html-report.js';
import { renderJsonReport } from './json-report.js';
import { renderJunitReport } from './junit-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import { readFirstRunHistories } from './run-histories.js';
import type { RunResult } from '../harness/result/result-model.js';

export interface ReportFiles {
  resultJson: string;
  summaryMd: string;
  junitXml: string;
  reportHtml: string;
}

/**
 * Writes result.json, summary.md, junit.xml and report.html into `dir` (created if missing) and returns their
 * paths. History files are the runner's; the reports refer to them relative to `dir`, and report.html draws
 * each case's first run from its file there.
 */
export async function writeReportDir(dir: string, result: RunResult): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const files: ReportFiles = {
    resultJson: join(dir, 'result.json'),
    summaryMd: join(dir, 'summary.md'),
    junitXml: join(dir, 'junit.xml'),
    reportHtml: join(dir, 'report.html'),
  };
  const options = { reportDir: dir };
  const runHistories = await readFirstRunHistories(dir, result);
  await Promise.all([
    writeFile(files.resultJson, renderJsonReport(result)),
    writeFile(files.summaryMd, renderMarkdownReport(result, options)),
    writeFile(files.junitXml, renderJunitReport(result, options)),
    writeFile(files.reportHtml, renderHtmlReport(result, { ...options, runHistories })),
  ]);
  return files;
}
