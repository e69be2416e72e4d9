// The API explorer's own entry (explorer.html, served at /api/explorer): GraphiQL and its editor
// never reach the settings bundle.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ExplorerPage } from './ExplorerPage';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ExplorerPage />
  </StrictMode>,
);
