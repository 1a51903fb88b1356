import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { ConnectionIndicator } from '../features/live/components/connection-indicator.tsx';
import { NavLink } from './nav-link.tsx';

/**
 * The frame of every page: brand, main navigation, the live feed's state, sign out (when a token is
 * in use), and the content.
 */
export function AppLayout({ onSignOut, children }: { onSignOut: (() => void) | undefined; children: ReactNode }) {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link className="brand" href="/">
          <svg className="brand__mark" viewBox="0 0 16 16" aria-hidden="true">
            <circle cx="8" cy="8" r="7" />
            <path d="M8 4v4l3 2" />
          </svg>
          Zeitgeber
        </Link>
        <nav className="nav" aria-label="Main">
          <NavLink href="/" exact>
            Overview
          </NavLink>
          <NavLink href="/jobs">Jobs</NavLink>
          <NavLink href="/failures">Failures</NavLink>
        </nav>
        <ConnectionIndicator />
        {onSignOut && (
          <button type="button" className="button topbar__signout" onClick={onSignOut}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
