/**
 * Where the user is in a cursor-paginated list: the `after` cursor of every page seen so far,
 * so "previous" steps back without the server supporting backward paging.
 */
export interface PageCursors {
  /** `after` of each page from the first (null) to the current one. */
  readonly trail: readonly (string | null)[];
}

export const FIRST_PAGE: PageCursors = { trail: [null] };

/** The `after` cursor of the page shown now. */
export function currentCursor(cursors: PageCursors): string | null {
  return cursors.trail.at(-1) ?? null;
}

/** 1-based number of the page shown now. */
export function pageNumber(cursors: PageCursors): number {
  return cursors.trail.length;
}

export function nextPage(cursors: PageCursors, endCursor: string): PageCursors {
  return { trail: [...cursors.trail, endCursor] };
}

export function previousPage(cursors: PageCursors): PageCursors {
  return cursors.trail.length <= 1 ? cursors : { trail: cursors.trail.slice(0, -1) };
}
