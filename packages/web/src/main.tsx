import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { initI18n } from './i18n.js';
import { preloadSession, SessionProvider } from './session.js';
import { App } from './App.js';
// The Suomi.fi design system's typeface, bundled (no font is fetched from elsewhere): Latin covers fi, sv and en.
import '@fontsource/source-sans-pro/latin-400.css';
import '@fontsource/source-sans-pro/latin-400-italic.css';
import '@fontsource/source-sans-pro/latin-600.css';
import '@fontsource/source-sans-pro/latin-700.css';
import './styles.css';

initI18n();
preloadSession();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <App />
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
