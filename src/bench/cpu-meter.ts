import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU seconds each watched process used between `start` and `stop`, and how busy the whole machine was. */
export interface CpuUse {
  elapsedSeconds: number;
  /** By the name given to each process; a process whose /proc entry could not be read is left out. */
  cpuSeconds: Record<string, number>;
  /** Share of all cores' time the machine spent busy (every process, not only the watched ones), 0..1. */
  machineBusy: number;
}

/** A process to watch: a pid on this machine, or this process itself. */
export type Watched = number | 'self';

/**
 * Reads process and machine CPU time from /proc (Linux), so a benchmark can say where a figure's time went:
 * which process was busy, and whether the machine itself was the limit.
 */
export class CpuMeter {
  private startedAt = 0;
  private startProcesses = new Map<string, number>();
  private startMachine: { busy: number; total: number } | undefined;

  constructor(private readonly watched: Record<string, Watched | undefined>) {}

  start(): this {
    this.startedAt = performance.now();
    this.startProcesses = this.readProcesses();
    this.startMachine = readMachine();
    return this;
  }

  stop(): CpuUse {
    const elapsedSeconds = (performance.now() - this.startedAt) / 1000;
    const now = this.readProcesses();
    const cpuSeconds: Record<string, number> = {};
    for (const [name, seconds] of now) {
      const before = this.startProcesses.get(name);
      if (before !== undefined) cpuSeconds[name] = seconds - before;
    }
    const machine = readMachine();
    const before = this.startMachine;
    const machineBusy = machine && before && machine.total > before.total ? (machine.busy - before.busy) / (machine.total - before.total) : NaN;
    return { elapsedSeconds, cpuSeconds, machineBusy };
  }

  private readProcesses(): Map<string, number> {
    const seconds = new Map<string, number>();
    for (const [name, who] of Object.entries(this.watched)) {
      if (who === undefined) continue;
      if (who === 'self') {
        const { user, system } = process.cpuUsage();
        seconds.set(name, (user + system) / 1e6);
        continue;
      }
      const used = processCpuSeconds(who);
      if (used !== undefined) seconds.set(name, used);
    }
    return seconds;
  }
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of a process (fields 14 and 15 of /proc/PID/stat, after the parenthesised name). */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of all cores (the first line of /proc/stat); idle and iowait count as not busy. */
function readMachine(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}
