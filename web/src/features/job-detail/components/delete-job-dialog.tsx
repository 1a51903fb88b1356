import { useEffect, useRef } from 'react';

interface DeleteJobDialogProps {
  open: boolean;
  target: string;
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

/** Asks before deleting: a modal dialog that names the job and keeps focus until answered. */
export function DeleteJobDialog({ open, target, busy, onConfirm, onClose }: DeleteJobDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="delete-job-title" aria-describedby="delete-job-text" onClose={onClose}>
      <h2 id="delete-job-title">Delete this job?</h2>
      <p id="delete-job-text">
        <span className="mono break">{target}</span> will no longer be called, and its history is removed. This cannot be undone.
      </p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Keep the job
        </button>
        <button type="button" className="button button--danger" onClick={onConfirm} disabled={busy}>
          {busy ? 'Deleting…' : 'Delete job'}
        </button>
      </div>
    </dialog>
  );
}
