import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  selfPercent: number;
}

/** The frames a V8 CPU profile (`--cpu-prof`) spent most self time in, as shares of all samples. */
export function topSelfFrames(profile: CpuProfile, count: number): FrameShare[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, t]) => ({ frame, selfPercent: Math.round((t / total) * 1000) / 10 }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/cpu-profile-top.js FILE.cpuprofile [N]\n');
    process.exitCode = 3;
  } else {
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    for (const { frame, selfPercent } of topSelfFrames(profile, Number(process.argv[3] ?? 25))) {
      process.stdout.write(`${selfPercent.toFixed(1).padStart(5)}%  ${frame}\n`);
    }
  }
}
