import { describe, expect, it } from 'vitest';
import { brokenLinks, headingAnchors, missingSourcePaths, repoFiles, type RepoFiles } from '../test-support/doc-links.js';
import { PACKAGE_ROOT } from './package-paths.js';

/**
 * The docs travel with the repository: every relative link in its Markdown leads to a file a clone has (not to
 * `../shared/…` beside it, not to a build output), every `#anchor` to a heading, and every `src/…` path the
 * reference pages in docs/ name exists.
 */
const repo = repoFiles(PACKAGE_ROOT);
const markdown = repo.files.filter((f) => f.endsWith('.md'));

describe('the repository’s Markdown', () => {
  it('has README.md and a docs/ index to check', () => {
    expect(markdown).toContain('README.md');
    expect(markdown).toContain('docs/README.md');
  });

  it('links only to files and headings the repository has', () => {
    expect(markdown.flatMap((file) => brokenLinks(repo, file))).toEqual([]);
  });

  it('names in docs/ only src/ paths that exist', () => {
    expect(markdown.filter((f) => f.startsWith('docs/')).flatMap((file) => missingSourcePaths(repo, file))).toEqual([]);
  });
});

describe('the link check itself', () => {
  const page = (text: string): RepoFiles => ({
    root: repo.root,
    files: [...repo.files, 'docs/page.md'],
    has: (path) => path === 'docs/page.md' || repo.has(path),
    read: (path) => (path === 'docs/page.md' ? text : repo.read(path)),
  });

  it('flags a link outside the repository even when the file exists there', () => {
    expect(brokenLinks(page('see [the design](../../shared/DESIGN.md) and [it](/../x.md)'), 'docs/page.md')).toEqual([
      'docs/page.md:1: (../../shared/DESIGN.md) leads outside the repository',
      'docs/page.md:1: (/../x.md) leads outside the repository',
    ]);
  });

  it('flags a missing file, a build output and a missing heading, and passes the rest', () => {
    const text = [
      '# Page',
      '[ok](architecture.md) [ok](../README.md#set-up-run-test) [ok](#page) [ok](examples/) [ok](https://x.invalid/y)',
      '[gone](no-such-page.md) [built](../dist/cli/main.js) [bad anchor](invariants.md#i10-telepathy)',
      '`[not a link](nowhere.md)`',
      '```',
      '[in a code block](nowhere.md)',
      '```',
      '[label]: ./missing.md',
    ].join('\n');
    expect(brokenLinks(page(text), 'docs/page.md')).toEqual([
      'docs/page.md:3: (no-such-page.md) names docs/no-such-page.md, which the repository does not have',
      'docs/page.md:3: (../dist/cli/main.js) names dist/cli/main.js, which the repository does not have',
      'docs/page.md:3: (invariants.md#i10-telepathy) names #i10-telepathy, which is no heading of docs/invariants.md',
      'docs/page.md:8: (./missing.md) names docs/missing.md, which the repository does not have',
    ]);
  });

  it('flags a src/ path that does not exist', () => {
    const text = 'the seam is `src/harness/sut/target.ts`, not `src/harness/target` or `src/targets/*/x.ts`';
    expect(missingSourcePaths(page(text), 'docs/page.md')).toEqual([
      'docs/page.md:1: `src/harness/target` does not exist',
      'docs/page.md:1: `src/targets/*/x.ts` does not exist',
    ]);
  });

  it("gives headings GitHub's anchors", () => {
    const anchors = headingAnchors('## Probing the database: `ackproof probe-db`\n### `check --json`\n## Notes\n## Notes\n## A — b, c.ts');
    expect([...anchors]).toEqual(['probing-the-database-ackproof-probe-db', 'check---json', 'notes', 'notes-1', 'a--b-cts']);
  });
});
