/**
 * App settings in `<dataDir>/settings.json` (in memory when there is no data folder). Secrets (the OpenAI key,
 * the relay secret) are stored beside the settings and never returned over the bridge: `get()` reports only
 * whether they are set.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SettingsSchema, type HandlerInput, type Settings } from './contract';

const StoredSchema = z.object({
  settings: SettingsSchema.prefault({}),
  secrets: z
    .object({ openaiApiKey: z.string().default(''), relaySecret: z.string().default('') })
    .prefault({}),
});
type Stored = z.infer<typeof StoredSchema>;

export interface SettingsStore {
  get(): Settings;
  secrets(): { openaiApiKey: string; relaySecret: string };
  update(patch: HandlerInput<'settings.update'>): Settings;
}

export function createSettingsStore(dataDir: string | null): SettingsStore {
  const file = dataDir === null ? null : join(dataDir, 'settings.json');
  let stored: Stored = StoredSchema.parse({});
  if (file && existsSync(file)) {
    const parsed = StoredSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) stored = parsed.data;
  }
  const save = () => {
    if (!file || !dataDir) return;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(stored, null, 2), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  const view = (): Settings => ({
    ...stored.settings,
    llm: { ...stored.settings.llm, openaiKeySet: stored.secrets.openaiApiKey !== '' },
    sync: { ...stored.settings.sync, relaySecretSet: stored.secrets.relaySecret !== '' },
  });
  return {
    get: view,
    secrets: () => ({ ...stored.secrets }),
    update(patch) {
      const { openaiApiKey, ...llm } = patch.llm ?? {};
      const { relaySecret, ...sync } = patch.sync ?? {};
      const defined = <T extends object>(o: T) =>
        Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
      stored = StoredSchema.parse({
        settings: {
          ...stored.settings,
          ...(patch.theme ? { theme: patch.theme } : {}),
          llm: { ...stored.settings.llm, ...defined(llm) },
          sync: { ...stored.settings.sync, ...defined(sync) },
          drafts: { ...stored.settings.drafts, ...defined(patch.drafts ?? {}) },
        },
        secrets: {
          openaiApiKey: openaiApiKey ?? stored.secrets.openaiApiKey,
          relaySecret: relaySecret ?? stored.secrets.relaySecret,
        },
      });
      save();
      return view();
    },
  };
}
