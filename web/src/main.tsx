import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { dashboardAddress } from './app/dashboard-base.ts';
import { appConfig } from './config/app-config.ts';
import { createAuthStore } from './lib/auth-store.ts';
import { createApiAccess } from './lib/graphql-client.ts';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/tables.css';
import './styles/forms.css';

const moved = dashboardAddress(window.location.pathname);
if (moved !== null) window.history.replaceState(null, '', `${moved}${window.location.search}${window.location.hash}`);

const root = document.getElementById('root');
if (!root) throw new Error('web: the page has no #root element');
createRoot(root).render(
  <StrictMode>
    <App api={createApiAccess(appConfig)} auth={createAuthStore(window.sessionStorage)} />
  </StrictMode>,
);
