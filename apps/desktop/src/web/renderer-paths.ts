/** Where the renderer's sources and build live (no Vite import, so the server starts fast). */
import { resolve } from 'node:path';

export const desktopRoot = resolve(import.meta.dirname, '../..');
export const rendererRoot = resolve(desktopRoot, 'src/renderer');
export const rendererOutDir = resolve(desktopRoot, 'out/renderer');
