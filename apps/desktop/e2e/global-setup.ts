/** Build the renderer once before the e2e files run (each web-mode server then serves the same build). */
import { buildRenderer } from '../src/web/build-renderer';

export default async function setup(): Promise<void> {
  await buildRenderer();
}
