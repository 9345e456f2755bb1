/** Repair species, lineage, size and background. */
import type { Build } from '../build';
import type { Content } from '../content/index';
import { pointer } from './issues';
import { defaultId, resolveId, type RepairLog } from './repair-log';

export function repairIdentity(input: Build, content: Content, log: RepairLog): Build {
  const b = { ...input };
  const speciesId = resolveId(log, pointer('species'), b.species, content.species, 'species', {
    fallback: defaultId(content.species, 'human'),
  });
  if (speciesId) b.species = speciesId;
  const species = content.species.get(b.species);
  if (species && b.lineage !== undefined) {
    const lineages = new Map(species.lineages.map((l) => [l.id, l]));
    const lineage = resolveId(log, pointer('lineage'), b.lineage, lineages, `lineage of ${species.id}`);
    if (lineage) b.lineage = lineage;
    else {
      log.change(
        pointer('lineage'),
        b.lineage,
        null,
        `lineage "${b.lineage}" is not a lineage of ${species.id}; removed`,
      );
      delete b.lineage;
    }
  }
  if (species && b.size !== undefined && !species.sizes.includes(b.size)) {
    log.change(pointer('size'), b.size, null, `size "${b.size}" is not allowed for ${species.id}; removed`);
    delete b.size;
  }
  const background = resolveId(log, pointer('background'), b.background, content.backgrounds, 'background', {
    fallback: defaultId(content.backgrounds, 'soldier'),
  });
  if (background) b.background = background;
  return b;
}
