import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runResultFixture } from '../test-support/run-result-fixture.js';
import { renderJsonReport } from './json-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import { writeReportDir } from './write-report-dir.js';

describe('writeReportDir', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('creates the directory and writes the four reports, returning their paths', async () => {
    const base = await mkdtemp(join(tmpdir(), 'ackproof-reports-'));
    dirs.push(base);
    const dir = join(base, 'nested', '2026-11-24T170000-compare');
    const files = await writeReportDir(dir, runResultFixture());
    expect(files).toEqual({
      resultJson: join(dir, 'result.json'),
      summaryMd: join(dir, 'summary.md'),
      junitXml: join(dir, 'junit.xml'),
      reportHtml: join(dir, 'report.html'),
    });
    await expect(readFile(files.resultJson, 'utf8')).resolves.toBe(renderJsonReport(runResultFixture()));
    await expect(readFile(files.summaryMd, 'utf8')).resolves.toBe(renderMarkdownReport(runResultFixture(), { reportDir: dir }));
    await expect(readFile(files.junitXml, 'utf8')).resolves.toMatch(/^<\?xml/);
    await expect(readFile(files.reportHtml, 'utf8')).resolves.toMatch(/^<!DOCTYPE html>/);
  });
});
