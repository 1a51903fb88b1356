import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { OUTCOMES, TRIGGERS, type ExecutionRecord } from '../domain/occurrence.ts';
import { packExecutions, transferablesOf, unpackExecutions, type PackedExecutions } from './packed-executions.ts';

const T0 = Date.UTC(2026, 10, 27, 5, 0, 0);

/** Records that between them take every trigger, outcome, null and absent value, and both texts. */
function variedRecords(): ExecutionRecord[] {
  return TRIGGERS.flatMap((trigger, t) =>
    OUTCOMES.map((outcome, o): ExecutionRecord => {
      const record: ExecutionRecord = {
        jobId: `job-${t}-${o}`,
        scheduledAt: T0 + t * 1_000,
        startedAt: T0 + t * 1_000 + 3,
        durationMs: 12.5 * (o + 1),
        attempt: o + 1,
        trigger,
        statusCode: outcome === 'UNKNOWN' ? null : outcome === 'FAILED' ? 503 : 200,
        success: outcome === 'SUCCEEDED',
        outcome,
        error: outcome === 'FAILED' ? `HTTP 503 from job ${t}` : null,
        responseSnippet: o === 0 ? null : o === 1 ? `{"ok":false,"t":${t}}` : null,
        cursorAt: trigger === 'MANUAL' ? null : T0 + t * 1_000,
      };
      if (o !== 2) record.consecutiveFailures = o;
      return record;
    }),
  );
}

/** Sends the packed batch through a real message port with its buffers transferred, as the writer does. */
function carried(packed: PackedExecutions): PackedExecutions {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(packed, transferablesOf(packed));
  const received = receiveMessageOnPort(port2)!.message as PackedExecutions;
  port1.close();
  return received;
}

describe('packed executions', () => {
  it('come back as the same records after the trip between threads', () => {
    const records = variedRecords();
    const unpacked = unpackExecutions(carried(packExecutions(records)));
    expect(unpacked).toHaveLength(records.length);
    unpacked.forEach((record, i) => {
      const { responseSnippet, ...rest } = records[i]!;
      expect(record).toEqual({ ...rest, responseSnippet: responseSnippet ?? null });
    });
  });

  it('keep "no streak" apart from a streak of 0, and a null status apart from any code', () => {
    const [unknown] = unpackExecutions(packExecutions(variedRecords().filter((r) => r.outcome === 'UNKNOWN').slice(0, 1)));
    expect(unknown!.consecutiveFailures).toBeUndefined();
    expect(unknown!.statusCode).toBeNull();
    const [succeeded] = unpackExecutions(packExecutions(variedRecords().slice(0, 1)));
    expect(succeeded!.consecutiveFailures).toBe(0);
  });

  it('carry texts only for the records that have some', () => {
    const packed = packExecutions(variedRecords());
    expect(packed.texts.map(([index]) => index)).toEqual(variedRecords().flatMap((r, i) => (r.error !== null || r.responseSnippet ? [i] : [])));
  });

  it('pack an empty batch', () => {
    expect(unpackExecutions(carried(packExecutions([])))).toEqual([]);
  });
});
