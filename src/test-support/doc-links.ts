import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * What a clone of the repository has: tracked files and files not yet committed, without what git ignores (`dist/`,
 * `reports/`, `node_modules/`), so a link to a build output fails as a link outside the repository does.
 */
export interface RepoFiles {
  root: string;
  /** Every file, relative to the root and `/`-separated. */
  files: readonly string[];
  /** A path relative to the root, `/`-separated: a file, or a folder holding one. */
  has(path: string): boolean;
  read(path: string): string;
}

export function repoFiles(root: string): RepoFiles {
  const files = new Set(
    execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f !== '' && existsSync(join(root, f))),
  );
  const folders = new Set([...files].flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return {
    root,
    files: [...files].sort(),
    has: (path) => files.has(path) || folders.has(path.replace(/\/$/, '')),
    read: (path) => readFileSync(join(root, path), 'utf8'),
  };
}

/** One problem, as `file:line: what`. */
export type BrokenReference = string;

/**
 * Relative links in one Markdown file (`[text](path)`, `[text](path#anchor)`, `[text](#anchor)`, reference
 * definitions) that lead outside the repository, to a file it does not have, or to a heading the target Markdown file
 * does not have. Links in code (fenced or inline) are not links; URLs with a scheme are not checked.
 */
export function brokenLinks(repo: RepoFiles, file: string): BrokenReference[] {
  const problems: BrokenReference[] = [];
  for (const { line, target } of markdownLinks(repo.read(file))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [rawPath = '', anchor] = target.split('#', 2);
    const path = decodeURIComponent(rawPath);
    const where = `${file}:${line}: (${target})`;
    const absolute = path === '' ? join(repo.root, file) : resolve(repo.root, path.startsWith('/') ? `.${path}` : join(dirname(file), path));
    const inRepo = relative(repo.root, absolute);
    if (inRepo.startsWith('..') || isAbsolute(inRepo)) {
      problems.push(`${where} leads outside the repository`);
      continue;
    }
    const linked = inRepo.split(sep).join('/');
    if (!repo.has(linked)) {
      problems.push(`${where} names ${linked}, which the repository does not have`);
      continue;
    }
    if (anchor !== undefined && anchor !== '' && linked.endsWith('.md') && !headingAnchors(repo.read(linked)).has(anchor)) {
      problems.push(`${where} names #${anchor}, which is no heading of ${linked}`);
    }
  }
  return problems;
}

/** Every `src/…` path written in inline code that the repository does not have. */
export function missingSourcePaths(repo: RepoFiles, file: string): BrokenReference[] {
  const problems: BrokenReference[] = [];
  lines(repo.read(file)).forEach(({ text, line }) => {
    for (const [, path] of text.matchAll(/`(src\/[^`]*)`/g)) {
      if (!repo.has(path!)) problems.push(`${file}:${line}: \`${path}\` does not exist`);
    }
  });
  return problems;
}

/** `[text](target)` and `[label]: target`, outside code, with their line numbers. */
export function markdownLinks(markdown: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  for (const { text, line } of lines(markdown)) {
    const prose = text.replace(/`[^`]*`/g, '');
    for (const [, target] of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line, target: target! });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(prose);
    if (definition) links.push({ line, target: definition[1]! });
  }
  return links;
}

/** The anchors GitHub gives a Markdown file's headings (its slugger: lower case, punctuation dropped, `-1` on repeats). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of lines(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const rendered = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`([^`]*)`/g, '$1').replace(/<[^>]+>/g, '');
    const slug = rendered.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The lines of a Markdown text outside fenced code blocks, numbered from 1. */
function lines(markdown: string): { text: string; line: number }[] {
  const kept: { text: string; line: number }[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, i) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence === undefined) kept.push({ text, line: i + 1 });
  });
  return kept;
}
