import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBundlePath } from './bundle-path';

const root = '/opt/dermdesk/renderer';

describe('app protocol path resolution', () => {
  it('serves files inside the bundle', () => {
    expect(resolveBundlePath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveBundlePath(root, '/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'));
  });

  it.each([
    ['dot-dot', '/../../etc/passwd'],
    ['encoded dot-dot', '/%2e%2e/%2e%2e/etc/passwd'],
    ['encoded slash', '/..%2F..%2Fetc%2Fpasswd'],
    ['encoded backslash', '/..%5C..%5Cwindows%5Cwin.ini'],
    ['raw backslash', '/..\\..\\secret'],
    ['double-encoded', '/%252e%252e/secret'],
    ['NUL', '/index.html%00.png'],
    ['absolute after decode', '/%2Fetc%2Fpasswd'],
    ['malformed escape', '/%E0%A4%A'],
    ['windows drive', '/C:%5Cwindows%5Cwin.ini'],
  ])('refuses %s', (_label, path) => {
    expect(resolveBundlePath(root, path)).toBeNull();
  });
});
