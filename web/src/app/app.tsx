import { Provider } from 'urql';
import { Router } from 'wouter';
import { ConnectionProvider } from '../lib/connection-context.tsx';
import type { GraphqlConnection } from '../lib/graphql-client.ts';
import { AppLayout } from './app-layout.tsx';
import { AppRoutes } from './app-routes.tsx';
import { DASHBOARD_BASE } from './dashboard-base.ts';

/** The dashboard: the GraphQL client and the live feed's state for every page, then the pages. */
export function App({ graphql }: { graphql: GraphqlConnection }) {
  return (
    <Provider value={graphql.client}>
      <ConnectionProvider store={graphql.connection}>
        <Router base={DASHBOARD_BASE}>
          <AppLayout>
            <AppRoutes />
          </AppLayout>
        </Router>
      </ConnectionProvider>
    </Provider>
  );
}
