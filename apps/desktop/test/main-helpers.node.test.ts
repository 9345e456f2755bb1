// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../src/main/paths';
import { contentSecurityPolicy, isAllowedNavigation, isExternalLink } from '../src/main/security';
import { clampBounds, DEFAULT_BOUNDS, MIN_SIZE, parseBounds } from '../src/main/window-state';

describe('isAllowedNavigation', () => {
  const allowed = { rendererDir: '/opt/Loreforge/resources/app/out/renderer' };
  it('allows files inside the renderer folder only', () => {
    expect(isAllowedNavigation('file:///opt/Loreforge/resources/app/out/renderer/index.html', allowed)).toBe(
      true,
    );
    expect(
      isAllowedNavigation('file:///opt/Loreforge/resources/app/out/renderer/../main/index.js', allowed),
    ).toBe(false);
    expect(isAllowedNavigation('file:///opt/Loreforge/resources/app/out/renderer-evil/x.html', allowed)).toBe(
      false,
    );
    expect(isAllowedNavigation('file:///etc/passwd', allowed)).toBe(false);
  });
  it('refuses remote sites, javascript: and garbage, and allows the dev server origin', () => {
    expect(isAllowedNavigation('https://example.com/', allowed)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', allowed)).toBe(false);
    expect(isAllowedNavigation('not a url', allowed)).toBe(false);
    const dev = { ...allowed, devServer: 'http://localhost:5173' };
    expect(isAllowedNavigation('http://localhost:5173/#/x', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', dev)).toBe(false);
  });
  it('handles Windows-style renderer folders', () => {
    const win = { rendererDir: 'C:\\Program Files\\Loreforge\\out\\renderer' };
    expect(isAllowedNavigation('file:///C:/Program%20Files/Loreforge/out/renderer/index.html', win)).toBe(
      true,
    );
    expect(isAllowedNavigation('file:///C:/Windows/system32', win)).toBe(false);
  });
});

describe('isExternalLink / CSP', () => {
  it('sends only http(s) and mailto links to the system browser', () => {
    expect(isExternalLink('https://dndbeyond.com')).toBe(true);
    expect(isExternalLink('mailto:a@b.c')).toBe(true);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
  });
  it('has no unsafe-eval or remote scripts, and adds the dev server only when given', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(contentSecurityPolicy({ devServer: 'http://localhost:5173' })).toContain('ws://localhost:5173');
  });
});

describe('window state', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('parses stored bounds and falls back to defaults on junk', () => {
    expect(parseBounds(null)).toEqual(DEFAULT_BOUNDS);
    expect(parseBounds('{not json')).toEqual(DEFAULT_BOUNDS);
    expect(parseBounds('{"width":"wide"}')).toEqual(DEFAULT_BOUNDS);
    expect(parseBounds('{"x":10,"y":20,"width":900,"height":700,"maximized":true}')).toEqual({
      x: 10,
      y: 20,
      width: 900,
      height: 700,
      maximized: true,
    });
  });
  it('clamps size to the screen and the minimum, and drops off-screen positions', () => {
    expect(clampBounds({ width: 5000, height: 100 }, screen)).toEqual({
      width: 1920,
      height: MIN_SIZE.height,
    });
    expect(clampBounds({ x: 100, y: 100, width: 1000, height: 700 }, screen)).toEqual({
      x: 100,
      y: 100,
      width: 1000,
      height: 700,
    });
    expect(clampBounds({ x: 4000, y: 100, width: 1000, height: 700 }, screen)).toEqual({
      width: 1000,
      height: 700,
    });
    const two = [...screen, { x: 1920, y: 0, width: 1280, height: 1024 }];
    expect(clampBounds({ x: 2000, y: 50, width: 1000, height: 700 }, two)).toMatchObject({ x: 2000, y: 50 });
  });
});

describe('resolveDataDir', () => {
  it('prefers --data-dir, then LOREFORGE_DATA_DIR, then the user-data folder', () => {
    expect(
      resolveDataDir(['electron', '.', '--data-dir', '/tmp/a'], { LOREFORGE_DATA_DIR: '/tmp/b' }, '/home/u'),
    ).toBe('/tmp/a');
    expect(resolveDataDir(['--data-dir=/tmp/c'], {}, '/home/u')).toBe('/tmp/c');
    expect(resolveDataDir([], { LOREFORGE_DATA_DIR: '/tmp/b' }, '/home/u')).toBe('/tmp/b');
    expect(resolveDataDir([], {}, '/home/u')).toBe('/home/u/data');
  });
});
