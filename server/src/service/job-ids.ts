import { randomFillSync } from 'node:crypto';

/** Two lowercase hex digits of each byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Random bytes drawn from the system at once, for many ids: one draw per id costs more than the rest of it. */
const POOL_BYTES = 8 * 1024;
/** Random bytes an id takes: the 62 bits after the variant, and the counter's starting value. */
const BYTES_PER_ID = 10;
/** The counter's 12 bits; it starts at a random value below this in each new millisecond. */
const COUNTER_MAX = 0xfff;
const COUNTER_START_BELOW = 0x400;
const TWO_POW_16 = 2 ** 16;

/**
 * New job ids: time-ordered UUIDs (RFC 9562 version 7: a 48-bit millisecond timestamp, a 12-bit
 * counter, then 62 random bits), so ids made one after the other sort in that order.
 *
 * Why not random (version 4) ids: the job table's primary key is an index on the id, and a random
 * id lands on a random page of it. With many jobs every insert then dirties a page of its own, and
 * each commit writes (and the WAL checkpoint copies back) one page per job; ordered ids fill the
 * index's last page instead, which makes an insert several times cheaper. The 62 random bits keep
 * ids unguessable.
 */
export class JobIds {
  readonly #pool = Buffer.alloc(POOL_BYTES);
  #offset = POOL_BYTES;
  #lastMs = -1;
  #counter = 0;

  /** A new id for a job created at `nowMs`; later calls give greater ids, even within one ms. */
  next(nowMs: number): string {
    if (this.#offset + BYTES_PER_ID > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const pool = this.#pool;
    const at = this.#offset;
    this.#offset += BYTES_PER_ID;
    if (nowMs > this.#lastMs) {
      this.#lastMs = nowMs;
      this.#counter = ((pool[at + 8]! << 8) | pool[at + 9]!) % COUNTER_START_BELOW;
    } else if (this.#counter < COUNTER_MAX) {
      this.#counter++;
    } else {
      // The counter ran out within one millisecond: borrow the next one (RFC 9562, 6.2).
      this.#lastMs++;
      this.#counter = 0;
    }
    const ms = this.#lastMs;
    const high = Math.floor(ms / TWO_POW_16);
    const low = ms % TWO_POW_16;
    const counter = this.#counter;
    return (
      HEX[(high >>> 24) & 0xff]! + HEX[(high >>> 16) & 0xff]! + HEX[(high >>> 8) & 0xff]! + HEX[high & 0xff]! + '-' +
      HEX[low >>> 8]! + HEX[low & 0xff]! + '-' +
      HEX[0x70 | (counter >>> 8)]! + HEX[counter & 0xff]! + '-' +
      HEX[0x80 | (pool[at]! & 0x3f)]! + HEX[pool[at + 1]!]! + '-' +
      HEX[pool[at + 2]!]! + HEX[pool[at + 3]!]! + HEX[pool[at + 4]!]! + HEX[pool[at + 5]!]! + HEX[pool[at + 6]!]! + HEX[pool[at + 7]!]!
    );
  }
}
