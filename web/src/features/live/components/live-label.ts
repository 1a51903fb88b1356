import type { ConnectionPhase } from '../../../lib/connection-store.ts';

/** The words for each state of the live feed. */
export function liveLabel(phase: ConnectionPhase): string {
  switch (phase) {
    case 'connected':
      return 'Live';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
  }
}
