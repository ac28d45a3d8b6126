import { describe, expect, it } from 'vitest';
import { isTrustedUrl } from './navigation-policy';

const trusted = ['dermdesk-app://bundle'];

describe('navigation policy', () => {
  it('allows our own bundle', () => {
    expect(isTrustedUrl('dermdesk-app://bundle/index.html', trusted)).toBe(true);
    expect(isTrustedUrl('dermdesk-app://bundle/index.html#view=viewer', trusted)).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'http://bundle/',
    'file:///etc/passwd',
    'dermdesk-app://bundle.evil.example/',
    'dermdesk-app://evil/index.html',
    'dermdesk-app://user:pass@bundle/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isTrustedUrl(url, trusted)).toBe(false);
  });

  it('allows the dev server only when configured', () => {
    expect(isTrustedUrl('http://localhost:5173/', trusted)).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/', [...trusted, 'http://localhost:5173'])).toBe(true);
    expect(isTrustedUrl('http://localhost:5174/', [...trusted, 'http://localhost:5173'])).toBe(false);
  });
});
