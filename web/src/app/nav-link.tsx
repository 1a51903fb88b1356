import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';

/** A main navigation link, marked as the current page for its section. */
export function NavLink({ href, exact = false, children }: { href: string; exact?: boolean; children: ReactNode }) {
  const [location] = useLocation();
  const active = exact ? location === href : location === href || location.startsWith(`${href}/`);
  return (
    <Link href={href} className={`nav__link${active ? ' nav__link--active' : ''}`} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}
