import { useCallback, useSyncExternalStore } from 'react';
import { Router } from 'wouter';
import { checkToken } from '../features/auth/api/check-token.ts';
import { TokenPage } from '../features/auth/components/token-page.tsx';
import type { AuthStore } from '../lib/auth-store.ts';
import type { ApiAccess } from '../lib/graphql-client.ts';
import { ApiSession } from './api-session.tsx';
import { AppLayout } from './app-layout.tsx';
import { AppRoutes } from './app-routes.tsx';
import { DASHBOARD_BASE } from './dashboard-base.ts';

/**
 * The dashboard: while the server wants a token it does not have, the page that asks for one;
 * otherwise the GraphQL client and live feed for the token in use, then the pages.
 */
export function App({ api, auth }: { api: ApiAccess; auth: AuthStore }) {
  const { token, prompt } = useSyncExternalStore(auth.subscribe, auth.getState);
  const check = useCallback((candidate: string) => checkToken(api.checkClient(candidate)), [api]);
  return (
    <Router base={DASHBOARD_BASE}>
      {prompt === null ? (
        <ApiSession api={api} token={token} onRefused={() => auth.refused(token)}>
          <AppLayout onSignOut={token === null ? undefined : auth.signOut}>
            <AppRoutes />
          </AppLayout>
        </ApiSession>
      ) : (
        <TokenPage reason={prompt} check={check} onAccepted={auth.signIn} />
      )}
    </Router>
  );
}
