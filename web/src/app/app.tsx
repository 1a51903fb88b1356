import { Provider } from 'urql';
import { ConnectionProvider } from '../lib/connection-context.tsx';
import type { GraphqlConnection } from '../lib/graphql-client.ts';
import { AppLayout } from './app-layout.tsx';
import { AppRoutes } from './app-routes.tsx';

/** The dashboard: the GraphQL client and the live feed's state for every page, then the pages. */
export function App({ graphql }: { graphql: GraphqlConnection }) {
  return (
    <Provider value={graphql.client}>
      <ConnectionProvider store={graphql.connection}>
        <AppLayout>
          <AppRoutes />
        </AppLayout>
      </ConnectionProvider>
    </Provider>
  );
}
