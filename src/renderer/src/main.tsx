import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { LockGate } from './features/lock/lock-gate';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('DermDesk: #root element missing from index.html');
createRoot(root).render(
  <StrictMode>
    <LockGate>
      <App />
    </LockGate>
  </StrictMode>,
);
