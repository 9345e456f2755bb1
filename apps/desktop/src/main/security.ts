/** Pure security helpers for the Electron main process (unit-tested in test/security.node.test.ts). */

/** The renderer's Content-Security-Policy: only our own scripts and styles, no remote code, no eval. */
export function contentSecurityPolicy(
  opts: { devServer?: string | undefined; webSocket?: string | undefined } = {},
): string {
  const connect = [
    "'self'",
    ...(opts.devServer ? [opts.devServer, opts.devServer.replace(/^http/, 'ws')] : []),
    ...(opts.webSocket ? [opts.webSocket] : []),
  ];
  return [
    "default-src 'self'",
    `script-src 'self'${opts.devServer ? ` ${opts.devServer}` : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * May the window navigate to `target`? Only to the app itself: the packaged `file://` renderer folder, or the
 * dev server's origin. Everything else (remote sites, other local files, `javascript:`) is refused.
 */
export function isAllowedNavigation(
  target: string,
  allowed: { rendererDir?: string; devServer?: string },
): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (allowed.devServer) {
    try {
      if (url.origin === new URL(allowed.devServer).origin) return true;
    } catch {
      // A malformed dev server URL allows nothing.
    }
  }
  if (url.protocol === 'file:' && allowed.rendererDir) {
    const dir = allowed.rendererDir.replace(/\\/g, '/').replace(/\/+$/, '');
    const path = decodeURIComponent(url.pathname).replace(/\\/g, '/');
    const normalized = path
      .split('/')
      .reduce<string[]>((acc, seg) => {
        if (seg === '..') acc.pop();
        else if (seg !== '.') acc.push(seg);
        return acc;
      }, [])
      .join('/');
    const base = dir.startsWith('/') ? dir : `/${dir}`;
    return normalized === base || normalized.startsWith(`${base}/`);
  }
  return false;
}

/** Links the user clicks that should open in the system browser instead of a new app window. */
export function isExternalLink(target: string): boolean {
  try {
    const u = new URL(target);
    return u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'mailto:';
  } catch {
    return false;
  }
}
