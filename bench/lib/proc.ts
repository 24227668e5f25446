// CPU time and memory of a process from /proc (Linux): the Temporal server and worker processes are
// separate processes, so process.cpuUsage() cannot see them.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds of a process so far, or undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return undefined;
  }
}

/** Resident and peak resident memory (VmRSS, VmHWM) in MB, or undefined once the process is gone. */
export function memoryMb(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Follows a process's CPU time and peak RSS while it lives. A process that is killed and replaced keeps
 * its figures: `track` the replacement and the totals add up.
 */
export class ProcessMeter {
  #cpu = 0;
  #peakRssMb = 0;
  #tracked = new Map<number, { start: number; last: number }>();
  #timer: NodeJS.Timeout;

  constructor(intervalMs = 500) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  track(pid: number): void {
    const now = cpuSeconds(pid) ?? 0;
    this.#tracked.set(pid, { start: now, last: now });
  }

  sample(): void {
    for (const [pid, t] of this.#tracked) {
      const cpu = cpuSeconds(pid);
      if (cpu === undefined) continue;
      t.last = cpu;
      this.#peakRssMb = Math.max(this.#peakRssMb, memoryMb(pid)?.peak ?? 0);
    }
  }

  /** CPU seconds used by the tracked processes since they were tracked. */
  cpuSeconds(): number {
    this.sample();
    this.#cpu = [...this.#tracked.values()].reduce((sum, t) => sum + (t.last - t.start), 0);
    return this.#cpu;
  }

  peakRssMb(): number {
    this.sample();
    return this.#peakRssMb;
  }

  stop(): void {
    this.sample();
    clearInterval(this.#timer);
  }
}
