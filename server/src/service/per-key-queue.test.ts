import { describe, expect, it } from 'vitest';
import { PerKeyQueue } from './per-key-queue.ts';

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A task that logs its start and end, and ends (or fails) only when told. */
function heldTask(log: string[], name: string) {
  let finish!: (fail: boolean) => void;
  const task = () =>
    new Promise<string>((resolve, reject) => {
      log.push(`${name} starts`);
      finish = (fail) => {
        log.push(`${name} ends`);
        if (fail) reject(new Error(name));
        else resolve(name);
      };
    });
  return { task, finish: (fail = false) => finish(fail) };
}

describe('PerKeyQueue', () => {
  it('runs the tasks of one key one after the other, in order, even past a failure', async () => {
    const queue = new PerKeyQueue();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => heldTask(log, name));
    const results = [queue.run('job', a!.task), queue.run('job', b!.task).catch((error: Error) => error.message), queue.run('job', c!.task)];
    await turn();
    expect(log).toEqual(['a starts']);
    a!.finish();
    await turn();
    b!.finish(true);
    await turn();
    c!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });

  it('runs tasks of different keys side by side, and forgets a key once its tasks ended', async () => {
    const queue = new PerKeyQueue();
    const log: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => heldTask(log, name));
    const results = [queue.run('one', a!.task), queue.run('two', b!.task)];
    await turn();
    expect(log).toEqual(['a starts', 'b starts']);
    expect(queue.size).toBe(2);
    b!.finish();
    a!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b']);
    await turn();
    expect(queue.size).toBe(0);
  });
});
