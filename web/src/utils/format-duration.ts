/** A duration for humans: "850 ms", "1.25 s", "2m 05s", "3h 04m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 10_000) return `${(ms / 1_000).toFixed(2)} s`;
  if (abs < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const totalSeconds = Math.round(abs / 1_000);
  const sign = ms < 0 ? '-' : '';
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${sign}${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${sign}${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** Time left until an instant, to the second: "in 4s", "in 2m 05s", "in 3h 04m", "in 2d 5h"; "now" when due. */
export function formatCountdown(remainingMs: number): string {
  if (remainingMs <= 0) return 'now';
  const totalSeconds = Math.ceil(remainingMs / 1_000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `in ${days}d ${hours}h`;
  if (hours > 0) return `in ${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `in ${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `in ${seconds}s`;
}

/** How long ago an instant was: "just now", "12s ago", "5m ago", "3h ago", "2d ago". */
export function formatAgo(elapsedMs: number): string {
  const seconds = Math.floor(elapsedMs / 1_000);
  if (seconds < 2) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}
