/** rebuildProjections replaces entity homes campaign by campaign: a campaign that fails leaves the others findable. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, openCore, tempDir } from './helpers';

describe('rebuildProjections', () => {
  it('keeps every other campaign findable when one campaign file is unreadable', async () => {
    const t = tempDir('lf-rebuild-');
    try {
      const core = await openCore(t.dir);
      // The broken campaign is created first, so it is rebuilt first.
      const broken = await core.campaigns.create({ name: 'Broken' });
      const healthy = await core.campaigns.create({ name: 'Healthy' });
      await core.characters.import(build({ name: 'Lost' }), { campaign: broken.id });
      const kept = await core.characters.import(build({ name: 'Kept' }), { campaign: healthy.id });
      await core.close();

      writeFileSync(join(t.dir, 'campaigns', `${broken.id}.sqlite`), 'not a database at all');
      const reopened = await openCore(t.dir);
      try {
        await expect(reopened.rebuildProjections()).rejects.toThrow();
        expect((await reopened.characters.show(kept.id)).doc.build.name).toBe('Kept');
      } finally {
        await reopened.close();
      }
    } finally {
      t.cleanup();
    }
  });
});
