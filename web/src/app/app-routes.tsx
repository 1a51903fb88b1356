import type { ReactNode } from 'react';
import { Link, Route, Switch } from 'wouter';
import { EmptyState } from '../components/empty-state.tsx';
import { FailuresPage } from '../features/failures/components/failures-page.tsx';
import { JobDetailPage } from '../features/job-detail/components/job-detail-page.tsx';
import { CreateJobPage } from '../features/job-editor/components/create-job-page.tsx';
import { EditJobPage } from '../features/job-editor/components/edit-job-page.tsx';
import { JobsPage } from '../features/jobs/components/jobs-page.tsx';
import { OverviewPage } from '../features/overview/components/overview-page.tsx';
import { useDocumentTitle } from '../hooks/use-document-title.ts';

function Titled({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(title);
  return <>{children}</>;
}

/** Which page each address shows. */
export function AppRoutes() {
  return (
    <Switch>
      <Route path="/">
        <Titled title="Overview">
          <OverviewPage />
        </Titled>
      </Route>
      <Route path="/jobs">
        <Titled title="Jobs">
          <JobsPage />
        </Titled>
      </Route>
      <Route path="/jobs/new">
        <Titled title="New job">
          <CreateJobPage />
        </Titled>
      </Route>
      <Route<{ id: string }> path="/jobs/:id/edit">
        {(params) => (
          <Titled title="Edit job">
            <EditJobPage key={params.id} jobId={params.id} />
          </Titled>
        )}
      </Route>
      <Route<{ id: string }> path="/jobs/:id">
        {(params) => (
          <Titled title="Job">
            <JobDetailPage key={params.id} jobId={params.id} />
          </Titled>
        )}
      </Route>
      <Route path="/failures">
        <Titled title="Failures">
          <FailuresPage />
        </Titled>
      </Route>
      <Route>
        <Titled title="Not found">
          <EmptyState title="There is no page here">
            <p>
              <Link href="/">Go to the overview</Link>
            </p>
          </EmptyState>
        </Titled>
      </Route>
    </Switch>
  );
}
