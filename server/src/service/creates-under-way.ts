/**
 * What a JobService has under way in creating jobs: the creates themselves, which a clean stop
 * waits for before it takes back the intents of fires that never went out (a create writes its
 * jobs' first intents with their rows), and the jobs of createJobs batches that are stored but
 * not all scheduled yet, which a change waits for, so that a batch cannot hand the engine a job
 * deleted, paused or changed meanwhile.
 */
export class CreatesUnderWay {
  readonly #creating = new Set<Promise<unknown>>();
  /**
   * The batches being scheduled: their job ids, and their scheduling settled either way. A change
   * looks its job up in each (a few at most, and changes during one are rare), which costs less
   * than filing every job of a batch of 10,000 by id and taking it out again (about 7 ms).
   */
  readonly #scheduling = new Set<{ ids: readonly string[]; settled: Promise<void> }>();

  /** Counts `create` as under way until it ends; resolves or rejects as it does. */
  async count<T>(create: Promise<T>): Promise<T> {
    this.#creating.add(create);
    try {
      return await create;
    } finally {
      this.#creating.delete(create);
    }
  }

  /** Resolves once every create under way now has ended, however it ended. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#creating]);
  }

  /** Holds changes of the jobs `ids` until `scheduling` ends; resolves or rejects as it does. */
  async scheduling<T>(ids: readonly string[], scheduling: Promise<T>): Promise<T> {
    const batch = {
      ids,
      settled: scheduling.then(
        () => undefined,
        () => undefined,
      ),
    };
    this.#scheduling.add(batch);
    try {
      return await scheduling;
    } finally {
      this.#scheduling.delete(batch);
    }
  }

  /** Resolves once the job is scheduled, when a batch is still scheduling it; at once otherwise. */
  async scheduled(jobId: string): Promise<void> {
    for (const batch of this.#scheduling) if (batch.ids.includes(jobId)) await batch.settled;
  }
}
