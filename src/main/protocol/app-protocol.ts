import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { resolveImageFile } from '../core/images/image-paths';
import { resolveBundlePath } from './bundle-path';

export const APP_SCHEME = 'dermdesk-app';
export const APP_ORIGIN = `${APP_SCHEME}://bundle`;
export const IMAGE_SCHEME = 'dermdesk-img';

/** Must run before app ready: our schemes are standard and secure, so the page is not file://. */
export function registerSchemesAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    // corsEnabled: the viewer's tile worker fetch()es images from the app origin (cross-scheme).
    { scheme: IMAGE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/** Serves the built renderer from one folder; any path that escapes it is a 404. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveBundlePath(rendererDir, new URL(request.url).pathname);
    if (!file) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
}

/** dermdesk-img://<sha256>/<variant>: the same resolver as the test host's /img route. */
export function handleImageProtocol(dataDir: string): void {
  protocol.handle(IMAGE_SCHEME, async (request) => {
    const url = new URL(request.url);
    const resolved = resolveImageFile(dataDir, url.hostname, decodeURIComponent(url.pathname.slice(1)));
    if (!resolved.ok) return new Response(resolved.message, { status: resolved.status });
    const file = await net.fetch(pathToFileURL(resolved.path).toString());
    return new Response(file.body, {
      headers: { 'content-type': resolved.mediaType, 'access-control-allow-origin': APP_ORIGIN },
    });
  });
}
