import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the system a block at a time: asking for 16 per id costs about 4 µs a call. */
const randomPool = new Uint8Array(4_096);
let randomAt = randomPool.length;

/** Largest value of the 31-bit counter that follows the timestamp. */
const COUNTER_MAX = 0x7fff_ffff;
let lastMs = Number.NEGATIVE_INFINITY;
let counter = 0;

/** The character codes of the two lowercase hex digits of each byte value, at 2 × byte and 2 × byte + 1. */
const HEX_CODES = new Uint8Array(512);
for (let byte = 0; byte < 256; byte++) {
  const digits = (byte + 0x100).toString(16).slice(1);
  HEX_CODES[2 * byte] = digits.charCodeAt(0);
  HEX_CODES[2 * byte + 1] = digits.charCodeAt(1);
}
const DASH = 0x2d;
/** The id's characters as codes, rewritten for each id: its dashes never move. */
const codes: number[] = new Array<number>(36).fill(DASH);
/** The millisecond whose timestamp digits `codes` holds. */
let codesMs = Number.NaN;

/** Writes the two hex digits of `byte` at `at` of `codes`. */
function putHex(at: number, byte: number): void {
  codes[at] = HEX_CODES[2 * byte]!;
  codes[at + 1] = HEX_CODES[2 * byte + 1]!;
}

/**
 * The text of a version 7 UUID (RFC 9562): the 48-bit millisecond timestamp `msecs`, then the
 * 31-bit counter `seq` around the version and variant bits as the `uuid` package's `v7` lays it
 * out (the tests hold the two equal), then random bits from `random[offset + 10 … offset + 15]`.
 *
 * Written here rather than through `uuid`: its `v7` lays the bytes out in two new typed arrays and
 * then joins 20 strings, about 2.5 µs an id. Here the characters' codes are written in place and
 * made into one flat string at once: joining the hex pairs one by one made a chain of a dozen
 * intermediate strings per id, which the id's first use (as a map key, or sent to the writer's
 * thread) then copied flat, about 1 µs an id more. (Exported for its test.)
 */
export function formatV7(msecs: number, seq: number, random: Uint8Array, offset: number): string {
  if (msecs !== codesMs) {
    const hex = msecs.toString(16).padStart(12, '0');
    for (let i = 0; i < 8; i++) codes[i] = hex.charCodeAt(i);
    for (let i = 8; i < 12; i++) codes[i + 1] = hex.charCodeAt(i);
    codesMs = msecs;
  }
  putHex(14, 0x70 | ((seq >>> 28) & 0x0f));
  putHex(16, (seq >>> 20) & 0xff);
  putHex(19, 0x80 | ((seq >>> 14) & 0x3f));
  putHex(21, (seq >>> 6) & 0xff);
  putHex(24, ((seq << 2) & 0xff) | (random[offset + 10]! & 0x03));
  for (let i = 11; i < 16; i++) putHex(24 + 2 * (i - 10), random[offset + i]!);
  return String.fromCharCode.apply(null, codes);
}

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
 *
 * A new millisecond starts the counter at a random value below 2^30; within one millisecond, and
 * when the clock steps back, the counter goes up by one, and past its maximum the timestamp moves
 * on.
 */
export function newJobId(): string {
  if (randomAt + 16 > randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  const at = randomAt;
  randomAt += 16;
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = ((randomPool[at + 6]! & 0x3f) << 24) | (randomPool[at + 7]! << 16) | (randomPool[at + 8]! << 8) | randomPool[at + 9]!;
  } else if (counter === COUNTER_MAX) {
    lastMs++;
    counter = 0;
  } else {
    counter++;
  }
  return formatV7(lastMs, counter, randomPool, at);
}
