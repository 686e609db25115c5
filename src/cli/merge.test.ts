import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectationsValidity, judgeExpectations } from '../harness/expectations/expectation.js';
import { inShard } from '../harness/runner/shard.js';
import { renderJsonReport } from '../report/json-report.js';
import { runCli } from '../test-support/run-cli.js';
import { runResultFixture } from '../test-support/run-result-fixture.js';

/** No database, no server: merge reads report directories only. */
describe('ackproof merge', () => {
  it('joins the shards\' report directories into the unsharded report (every format, the histories), exiting as it would', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ackproof-merge-'));
    const whole = runResultFixture();
    whole.expectations = judgeExpectations(whole.cases, []);
    whole.valid = expectationsValidity(whole.expectations);
    const dirs = [1, 2, 3].map((index) => {
      const cases = inShard(whole.cases, { index, count: 3 });
      const expectations = judgeExpectations(cases, []);
      const dir = join(root, `shard-${index}`);
      mkdirSync(join(dir, 'histories'), { recursive: true });
      for (const c of cases) writeFileSync(join(dir, c.historyFile!), '{}\n');
      const shard = { ...whole, cases, expectations, valid: expectationsValidity(expectations), shard: { index, count: 3, ofCases: 4 } };
      writeFileSync(join(dir, 'result.json'), renderJsonReport(shard));
      return dir;
    });
    const out = join(root, 'merged');
    const merge = await runCli(['merge', ...dirs, '--report-dir', out]);
    // One expectation (baseline/decoupled) is unmet because undecided: exit 2, as the unsharded compare.
    expect(merge.code, merge.stderr).toBe(2);
    expect(readFileSync(join(out, 'result.json'), 'utf8')).toBe(renderJsonReport(whole));
    for (const file of ['summary.md', 'junit.xml', 'report.html', ...whole.cases.map((c) => c.historyFile!)]) expect(existsSync(join(out, file)), file).toBe(true);
    expect(merge.stdout).toMatch(/^ackproof compare: 1 of 4 expectations unmet/);

    const missing = await runCli(['merge', dirs[0]!, dirs[2]!, '--report-dir', join(root, 'incomplete')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/cannot merge: shards 2\/3 missing/);
  });
});
