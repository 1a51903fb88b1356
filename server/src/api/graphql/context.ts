import type { Caller } from '../../http/auth.ts';
import type { AuditService } from '../../service/audit-service.ts';
import type { FeedSource } from '../../service/event-feed.ts';
import type { JobService, JobView } from '../../service/job-service.ts';
import type { StatusService } from '../../service/status-service.ts';

/** What the GraphQL API is built over: the service layer and the live event feed. */
export interface GraphqlDeps {
  jobs: JobService;
  status: StatusService;
  /** Where subscriptions open their streams: the event feed, or a shared source's view of it. */
  feed: FeedSource;
  audit: AuditService;
}

/** Per operation: the services, and a job lookup shared by every field of the operation. */
export interface GraphqlContext extends GraphqlDeps {
  /** Who is calling, as their token says; null only where no operation runs (the GraphiQL page). */
  caller: Caller | null;
  /** The job with this id, or null; loaded once per operation. */
  loadJob(jobId: string): Promise<JobView | null>;
}

export function createGraphqlContext(deps: GraphqlDeps, caller: Caller | null): GraphqlContext {
  const loaded = new Map<string, Promise<JobView | null>>();
  return {
    ...deps,
    caller,
    loadJob(jobId) {
      let job = loaded.get(jobId);
      if (!job) {
        job = deps.jobs.findJob(jobId);
        loaded.set(jobId, job);
      }
      return job;
    },
  };
}
