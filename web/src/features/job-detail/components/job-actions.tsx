import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useJobActions } from '../api/use-job-actions.ts';
import { DeleteJobDialog } from './delete-job-dialog.tsx';

/** What can be done to a job: run it now, pause or resume it, edit it, delete it. */
export function JobActions({ jobId, status, target }: { jobId: string; status: 'ACTIVE' | 'PAUSED'; target: string }) {
  const [, navigate] = useLocation();
  const { busy, notice, run } = useJobActions(jobId);
  const [confirming, setConfirming] = useState(false);

  async function confirmDelete(): Promise<void> {
    if (await run('delete')) navigate('/jobs');
    else setConfirming(false);
  }

  return (
    <div className="job-actions">
      <div className="button-row">
        <button type="button" className="button" disabled={busy !== null} onClick={() => void run('trigger')}>
          {busy === 'trigger' ? 'Starting…' : 'Run now'}
        </button>
        {status === 'ACTIVE' ? (
          <button type="button" className="button" disabled={busy !== null} onClick={() => void run('pause')}>
            {busy === 'pause' ? 'Pausing…' : 'Pause'}
          </button>
        ) : (
          <button type="button" className="button button--primary" disabled={busy !== null} onClick={() => void run('resume')}>
            {busy === 'resume' ? 'Resuming…' : 'Resume'}
          </button>
        )}
        <Link className="button" href={`/jobs/${encodeURIComponent(jobId)}/edit`}>
          Edit
        </Link>
        <button type="button" className="button button--danger-outline" disabled={busy !== null} onClick={() => setConfirming(true)}>
          Delete
        </button>
      </div>
      <p className={`job-actions__notice${notice?.kind === 'failed' ? ' job-actions__notice--failed' : ''}`} role="status">
        {notice?.text}
      </p>
      <DeleteJobDialog open={confirming} target={target} busy={busy === 'delete'} onConfirm={() => void confirmDelete()} onClose={() => setConfirming(false)} />
    </div>
  );
}
