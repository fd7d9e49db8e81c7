/**
 * CPU time taken by the parts of a load run on this machine, to show which of them the req/s wait
 * for: workerd (every isolate: the Worker's, Miniflare's cache and asset ones) read from /proc, and
 * this process (the local libSQL server's thread, the load thread, the main thread) from
 * process.cpuUsage(). Linux only: elsewhere, no numbers.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on every architecture Linux runs on. */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  workerdMs: number;
  processMs: number;
}

function workerdMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // comm is in parentheses and may hold spaces: the fields after it start at the last ")".
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'workerd') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended while the list was read
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

export function cpuSnapshot(): CpuSnapshot | null {
  if (process.platform !== 'linux') return null;
  const usage = process.cpuUsage();
  return { workerdMs: workerdMs(), processMs: (usage.user + usage.system) / 1000 };
}

/** CPU ms per response between two snapshots, with the load thread's own time taken apart. */
export function cpuPerResponse(
  before: CpuSnapshot | null,
  after: CpuSnapshot | null,
  load: { responses: number; loadCpuMs: number },
): { workerdMs: number; databaseMs: number; loadMs: number } | null {
  if (!before || !after || load.responses === 0) return null;
  const per = (ms: number) => ms / load.responses;
  return {
    workerdMs: per(after.workerdMs - before.workerdMs),
    // The rest of this process during the run is the libSQL server's thread (and an idle main thread).
    databaseMs: per(Math.max(0, after.processMs - before.processMs - load.loadCpuMs)),
    loadMs: per(load.loadCpuMs),
  };
}
