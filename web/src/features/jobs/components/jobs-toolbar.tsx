import { useEffect, useState } from 'react';
import { useDebouncedValue } from '../../../hooks/use-debounced-value.ts';
import type { JobStatus } from '../api/jobs-documents.ts';

interface JobsToolbarProps {
  search: string;
  status: JobStatus | null;
  onSearch: (search: string) => void;
  onStatus: (status: JobStatus | null) => void;
}

/** Search by URL and filter by status; the search applies once typing pauses. */
export function JobsToolbar({ search, status, onSearch, onStatus }: JobsToolbarProps) {
  const [text, setText] = useState(search);
  const settled = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if (settled !== search) onSearch(settled);
  }, [settled, search, onSearch]);

  return (
    <div className="toolbar" role="search">
      <label className="toolbar__search">
        <span className="visually-hidden">Search jobs by URL</span>
        <input type="search" placeholder="Search by URL…" value={text} onChange={(event) => setText(event.target.value)} />
      </label>
      <label className="toolbar__filter">
        <span>Status</span>
        <select value={status ?? ''} onChange={(event) => onStatus(event.target.value === '' ? null : (event.target.value as JobStatus))}>
          <option value="">All</option>
          <option value="ACTIVE">Active</option>
          <option value="PAUSED">Paused</option>
        </select>
      </label>
    </div>
  );
}
