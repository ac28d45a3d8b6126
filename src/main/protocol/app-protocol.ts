import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import type { Core } from '../core/create-core';
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
export function handleImageProtocol(core: Pick<Core, 'readImage'>): void {
  protocol.handle(IMAGE_SCHEME, async (request) => {
    const url = new URL(request.url);
    // Decrypted in memory by the core (the files on disk are AES-256-GCM); never a file:// fetch.
    const image = await core.readImage(url.hostname, decodeURIComponent(url.pathname.slice(1)));
    if (!image.ok) return new Response(image.message, { status: image.status });
    return new Response(new Uint8Array(image.bytes), {
      headers: { 'content-type': image.mediaType, 'access-control-allow-origin': APP_ORIGIN },
    });
  });
}
