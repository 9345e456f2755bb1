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

/** The words a fake model writes over the planner's parts (chapter `i`, its scene `j`). */
export interface NarrationWords {
  setting: { name: string; text: string };
  chapter: (i: number) => { title: string; goal: string };
  scene: (i: number, j: number, id: string) => { title: string; text: string };
  clue: (id: string) => string;
}

/** A fake model's narration of the outline it was shown: its own words over every part, the ids kept. */
export function narrate(body: unknown, words: NarrationWords): { content: string } {
  const s = narrationShown<{
    chapters: { id: string; scenes: { id: string }[] }[];
    clues: { id: string }[];
  }>(body);
  return {
    content: JSON.stringify({
      setting: words.setting,
      chapters: s.chapters.map((c, i) => ({
        id: c.id,
        ...words.chapter(i),
        scenes: c.scenes.map((x, j) => ({ id: x.id, ...words.scene(i, j, x.id) })),
      })),
      clues: s.clues.map((c) => ({ id: c.id, text: words.clue(c.id) })),
    }),
  };
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
