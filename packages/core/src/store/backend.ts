/**
 * Where databases live. `file`: `<dataDir>/library.sqlite` plus `<dataDir>/campaigns/<campaignId>.sqlite`.
 * `memory`: the same databases in memory (for tests and throwaway sessions); they live as long as the core.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface StorageBackend {
  readonly kind: 'file' | 'memory';
  libraryFile(): string;
  campaignFile(campaignId: string): string;
  /** Relative name recorded in the library index. */
  campaignFileName(campaignId: string): string;
  campaignExists(campaignId: string): boolean;
  removeCampaignFile(campaignId: string): void;
}

export function fileBackend(dataDir: string): StorageBackend {
  const campaignFile = (id: string) => join(dataDir, 'campaigns', `${id}.sqlite`);
  return {
    kind: 'file',
    libraryFile: () => join(dataDir, 'library.sqlite'),
    campaignFile,
    campaignFileName: (id) => `campaigns/${id}.sqlite`,
    campaignExists: (id) => existsSync(campaignFile(id)),
    removeCampaignFile: (id) => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${campaignFile(id)}${suffix}`, { force: true });
    },
  };
}

export function memoryBackend(): StorageBackend {
  return {
    kind: 'memory',
    libraryFile: () => ':memory:',
    campaignFile: () => ':memory:',
    campaignFileName: (id) => `memory:${id}`,
    campaignExists: () => false,
    removeCampaignFile: () => undefined,
  };
}
