import { v7 } from 'uuid';

/**
 * A new job id: a time-ordered UUID (RFC 9562 version 7: a 48-bit millisecond timestamp of the
 * system clock, a counter that keeps ids of one millisecond in order, then random bits), so ids
 * made one after the other sort in that order.
 *
 * Why not random (version 4) ids: the job table's primary key is an index on the id, and a random
 * id lands on a random page of it. With many jobs every insert then dirties a page of its own, and
 * each commit writes (and the WAL checkpoint copies back) one page per job; ordered ids fill the
 * index's last page instead, which makes an insert several times cheaper. The random bits keep
 * ids unguessable.
 */
export function newJobId(): string {
  return v7();
}
