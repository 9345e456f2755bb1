/**
 * The fake-model side of the campaign-generation tests: what a prompt showed the model (read back from the request
 * body a fake server received), and the real pipeline router pointed at a fake OpenAI-compatible server.
 */
import { loadSrdContent } from '../../src/content/load-srd';
import { createPipelineRouter } from '../../src/pipeline/providers';

let content: ReturnType<typeof loadSrdContent> | undefined;

/** The router the app builds for an OpenAI-compatible server at `baseURL` (no sleeping between retries). */
export async function openAiRouter(baseURL: string) {
  content ??= loadSrdContent();
  return (
    await createPipelineRouter(content, {
      provider: 'openai',
      openaiBaseURL: baseURL,
      model: 'gpt-4o-mini',
      retryHooks: { sleep: async () => {} },
    })
  ).router;
}

/** The first user message of a chat request body. */
export function userText(body: unknown): string {
  return (body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'user')!
    .content;
}

const after = (text: string, marker: string) => text.slice(text.indexOf(marker) + marker.length);

/** The outline a narration request asks the model to rewrite. */
export function narrationShown<T>(body: unknown): T {
  return JSON.parse(after(userText(body), 'Outline to rewrite (JSON):\n')) as T;
}

/** What a structure refine showed: the outline, the npcs and locations clues may be placed at, the whole text. */
export function structureShown<V, P>(body: unknown): { view: V; places: P[]; user: string } {
  const user = userText(body);
  const p = user.indexOf('(JSON):\n') + 8;
  return {
    view: JSON.parse(after(user, 'Outline (JSON):\n')) as V,
    places: JSON.parse(user.slice(p, user.indexOf('\n', p))) as P[],
    user,
  };
}
