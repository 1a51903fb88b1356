interface JobsPagerProps {
  page: number;
  pageSize: number;
  shown: number;
  total: number;
  onPrevious: (() => void) | undefined;
  onNext: (() => void) | undefined;
}

/** Where this page sits in the list, and buttons to move through it. */
export function JobsPager({ page, pageSize, shown, total, onPrevious, onNext }: JobsPagerProps) {
  const first = shown === 0 ? 0 : (page - 1) * pageSize + 1;
  return (
    <nav className="pager" aria-label="Job pages">
      <span className="muted" aria-live="polite">
        {first}–{first + Math.max(0, shown - 1)} of {total.toLocaleString('en-US')}
      </span>
      <div className="pager__buttons">
        <button type="button" className="button" disabled={!onPrevious} onClick={onPrevious}>
          ← Previous
        </button>
        <button type="button" className="button" disabled={!onNext} onClick={onNext}>
          Next →
        </button>
      </div>
    </nav>
  );
}
