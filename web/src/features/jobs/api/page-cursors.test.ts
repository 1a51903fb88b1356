import { describe, expect, it } from 'vitest';
import { currentCursor, FIRST_PAGE, nextPage, pageNumber, previousPage } from './page-cursors.ts';

describe('page cursors', () => {
  it('walks forward and back through pages', () => {
    const second = nextPage(FIRST_PAGE, 'c1');
    const third = nextPage(second, 'c2');
    expect(currentCursor(third)).toBe('c2');
    expect(pageNumber(third)).toBe(3);
    expect(previousPage(third)).toEqual(second);
    expect(currentCursor(previousPage(second))).toBeNull();
  });

  it('stays on the first page when going back from it', () => {
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
    expect(pageNumber(FIRST_PAGE)).toBe(1);
  });
});
