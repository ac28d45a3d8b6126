/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The hub's pages: server-rendered HTML, one stylesheet, scripts only from /assets (no inline
 * script or style, so the CSP can forbid both).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function page(args: { title: string; body: string; scripts?: string[]; bodyClass?: string }): string {
  const scripts = (args.scripts ?? []).map((s) => `<script type="module" src="/assets/${esc(s)}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(args.title)} · DermDesk</title>
<link rel="stylesheet" href="/assets/hub.css">
${scripts}
</head>
<body class="${esc(args.bodyClass ?? '')}">
<header class="top"><span class="brand">DermDesk</span> <span class="service">Teledermatology referral service</span></header>
<main id="main">
${args.body}
</main>
</body>
</html>`;
}
