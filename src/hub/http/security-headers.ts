/**
 * Headers on every hub response. The API serves JSON and image bytes only, so the CSP forbids
 * everything (a response rendered in a browser by mistake can run nothing and cannot be framed).
 * HSTS is sent so a TLS-terminating deployment is HSTS-ready; browsers ignore it over plain HTTP.
 * Responses carry patient data: never stored by shared or browser caches.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cache-control': 'no-store',
};
