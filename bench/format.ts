/** How the benchmark's report and log write numbers, tallies and tables. */
import type { Fetched, Tally } from '../dev/load.ts';

export const ms = (value: number) =>
  Number.isFinite(value)
    ? `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`
    : '—';
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const secs = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} s`;
export const goal = (met: boolean) => (met ? 'yes' : '**no**');
export const tallyText = (counts: Tally) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([value, n]) => `${value === 'none' ? '(none)' : value} ×${int(n)}`)
    .join(', ') || '—';
export const table = (head: string[], rows: string[][]) =>
  [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
export const xCacheOf = (response: Fetched) => String(response.headers['x-cache'] ?? 'none');
