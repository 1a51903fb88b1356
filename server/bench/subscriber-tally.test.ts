import { describe, expect, it } from 'vitest';
import { indexJobs, judgeSubscribers, SubscriberTally, type SubscriberSummary } from './subscriber-tally.ts';

const window = { startMs: 10_000, seconds: 2 };
const jobs = indexJobs(['a', 'b']);

function fullTally(): SubscriberTally {
  const tally = new SubscriberTally(jobs, window);
  for (const jobId of ['a', 'b']) {
    for (const at of [10_000, 11_000]) {
      tally.record(jobId, at, 'STARTED');
      tally.record(jobId, at, 'SUCCEEDED');
    }
  }
  return tally;
}

describe('SubscriberTally', () => {
  it('owes STARTED and a finish for every (job, second) of the window', () => {
    expect(fullTally().summary()).toEqual({ expected: 8, received: 8, distinct: 8, lost: 0, duplicated: 0, failed: 0, foreign: 0 });
  });

  it('counts FAILED as the finish, and finds what was lost or duplicated', () => {
    const tally = new SubscriberTally(jobs, window);
    tally.record('a', 10_000, 'STARTED');
    tally.record('a', 10_000, 'FAILED');
    tally.record('a', 10_000, 'FAILED');
    tally.record('b', 11_000, 'STARTED');
    expect(tally.summary()).toEqual({ expected: 8, received: 4, distinct: 3, lost: 5, duplicated: 1, failed: 2, foreign: 0 });
  });

  it('ignores events outside the window and flags unknown jobs or instants inside it', () => {
    const tally = fullTally();
    tally.record('a', 9_000, 'STARTED');
    tally.record('a', 12_000, 'STARTED');
    tally.record('z', 10_000, 'STARTED');
    tally.record('a', 10_500, 'STARTED');
    expect(tally.summary()).toMatchObject({ received: 8, lost: 0, foreign: 2 });
  });
});

describe('judgeSubscribers', () => {
  const complete: SubscriberSummary = { expected: 8, received: 8, distinct: 8, lost: 0, duplicated: 0, failed: 0, foreign: 0 };
  const behind: SubscriberSummary = { ...complete, received: 5, distinct: 5, lost: 3 };

  it('folds the subscribers into a row', () => {
    expect(judgeSubscribers([complete, behind], 3, 0)).toEqual({
      subscribers: 2,
      expectedEach: 8,
      minReceived: 5,
      maxLost: 3,
      complete: 1,
      problems: [],
    });
  });

  it('names losses the server did not report dropping, duplicates, foreign events and closed connections', () => {
    const odd = { ...complete, duplicated: 1, foreign: 2 };
    expect(judgeSubscribers([behind, odd], 1, 1).problems).toEqual([
      '3 events lost, but the server reports 1 dropped for slow subscribers',
      '1 events received more than once',
      '2 events for unknown jobs or instants',
      '1 subscriber connections closed during the run',
    ]);
    expect(judgeSubscribers([], 0, 0).problems).toEqual(['no subscriber reported']);
  });
});
