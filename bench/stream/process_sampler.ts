/**
 * Resource use of a process and its descendants (a JVM and its Python driver, a Deno process), sampled from
 * /proc: resident memory (VmRSS) summed over the tree's `java`, `python` and `deno` processes, and CPU time
 * (user + system) summed over the whole tree as last seen. A JVM forks helpers (named after the forking
 * thread until they exec) whose RSS is the parent's shared pages: counting them would count the JVM twice.
 * Linux only.
 *
 * @module
 */

/** What a sampler saw. */
export interface ProcessUsage {
  /** Highest summed RSS of the tree, bytes. */
  peakRssBytes: number;
  /** Peak RSS per counted command name (`java`, `python`, `deno`), bytes, at their own peaks. */
  peakByCommand: Record<string, number>;
  /** CPU seconds (user + system) of the tree at the last sample. */
  cpuSeconds: number;
  samples: number;
}

const TICKS = 100; // USER_HZ on Linux
/** The processes whose memory counts (a system's real processes, not forks about to exec). */
const COUNTED = /^(java|python[\d.]*|deno)$/;

function read(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    // The process ended between listing and reading: it no longer counts.
    return null;
  }
}

/** The pid and its descendants (from /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const todo = [pid];
  while (todo.length > 0) {
    const p = todo.pop()!;
    out.push(p);
    let tasks: string[] = [];
    try {
      tasks = [...Deno.readDirSync(`/proc/${p}/task`)].map((e) => e.name);
    } catch {
      continue;
    }
    for (const t of tasks) {
      const children = read(`/proc/${p}/task/${t}/children`);
      if (children) todo.push(...children.trim().split(/\s+/).filter(Boolean).map(Number));
    }
  }
  return out;
}

/** Samples a process tree every `intervalMs` until {@linkcode stop}. */
export class ProcessSampler {
  readonly #pid: number;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #cpu = new Map<number, number>();
  readonly usage: ProcessUsage = { peakRssBytes: 0, peakByCommand: {}, cpuSeconds: 0, samples: 0 };

  constructor(pid: number, intervalMs = 200) {
    this.#pid = pid;
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Takes one sample now. */
  sample(): void {
    let total = 0;
    for (const p of processTree(this.#pid)) {
      const status = read(`/proc/${p}/status`);
      const stat = read(`/proc/${p}/stat`);
      if (status === null || stat === null) continue;
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      const name = /Name:\s+(\S+)/.exec(status)?.[1] ?? "?";
      if (COUNTED.test(name)) {
        total += rss;
        this.usage.peakByCommand[name] = Math.max(this.usage.peakByCommand[name] ?? 0, rss);
      }
      // Fields after the command (which may hold spaces): state is the 1st, utime the 12th, stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      this.#cpu.set(p, (Number(fields[11]) + Number(fields[12])) / TICKS);
    }
    this.usage.peakRssBytes = Math.max(this.usage.peakRssBytes, total);
    this.usage.cpuSeconds = [...this.#cpu.values()].reduce((a, b) => a + b, 0);
    this.usage.samples++;
  }

  /** Stops sampling; returns the usage. */
  stop(): ProcessUsage {
    clearInterval(this.#timer);
    return this.usage;
  }
}

/** The 1-minute load average. */
export function loadAverage(): number {
  return Number((read("/proc/loadavg") ?? "0").split(" ")[0]);
}
