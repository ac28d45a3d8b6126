import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { imageDir, resolveImageFile } from '../../src/main/core/images/image-paths';
import { makeTempDir } from '../support/temp-dir';

/**
 * The image URL (dermdesk-img://<sha>/<variant> in Electron, /img/<sha>/<variant> on the host)
 * is attacker-shaped text as far as the resolver knows. Only a hex SHA-256 and a known variant
 * may reach the file system.
 */
describe('image URL resolution refuses hostile input', () => {
  const dir = makeTempDir();
  const sha = 'b'.repeat(64);
  mkdirSync(imageDir(dir.path, sha), { recursive: true });
  writeFileSync(join(imageDir(dir.path, sha), 'preview.webp'), 'x');
  writeFileSync(join(dir.path, 'cache.sqlite'), 'secret');
  afterAll(() => dir.remove());

  it('serves a cached variant', () => {
    expect(resolveImageFile(dir.path, sha, 'preview')).toMatchObject({ ok: true });
  });

  it.each([
    ['dot-dot as id', '..', 'preview'],
    ['path as id', '../../cache.sqlite', 'original'],
    ['absolute id', '/etc/passwd', 'original'],
    ['upper-case hex', 'B'.repeat(64), 'preview'],
    ['short id', 'b'.repeat(63), 'preview'],
    ['NUL in id', `${'b'.repeat(63)}\0`, 'preview'],
    ['dot-dot variant', sha, '../../../cache.sqlite'],
    ['encoded variant', sha, '..%2F..%2Fcache.sqlite'],
    ['backslash variant', sha, '..\\..\\cache.sqlite'],
    ['NUL variant', sha, 'preview\0.png'],
    ['prototype key variant', sha, '__proto__'],
    ['constructor variant', sha, 'constructor'],
    ['tile with traversal', sha, 'tile-0-0-../../x'],
    ['tile with huge level', sha, 'tile-999-0-0'],
  ])('refuses %s', (_label, id, variant) => {
    const result = resolveImageFile(dir.path, id, variant);
    expect(result.ok).toBe(false);
  });

  it('answers 404, not an error, for a valid but uncached image', () => {
    expect(resolveImageFile(dir.path, 'c'.repeat(64), 'preview')).toMatchObject({ ok: false, status: 404 });
  });
});
