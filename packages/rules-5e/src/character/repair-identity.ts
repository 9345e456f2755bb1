/** Repair species, lineage, size and background. */
import type { Build } from '../build';
import type { Content } from '../content/index';
import type { Lineage } from '../content/types';
import { closestId } from './closest-id';
import { pointer } from './issues';
import { defaultId, resolveId, type RepairLog } from './repair-log';

const lineageCache = new WeakMap<Content, ReadonlyMap<string, Lineage>>();

function allLineages(content: Content): ReadonlyMap<string, Lineage> {
  let map = lineageCache.get(content);
  if (!map) {
    map = new Map([...content.species.values()].flatMap((s) => s.lineages.map((l) => [l.id, l] as const)));
    lineageCache.set(content, map);
  }
  return map;
}

/** A lineage named as the species ("High Elf"): use its species, and the lineage when none is given. */
function speciesFromLineage(b: Build, content: Content, log: RepairLog): void {
  if (content.species.has(b.species)) return;
  const lineage = closestId(b.species, allLineages(content), undefined, 0);
  const species = lineage === undefined ? undefined : content.lineageOf.get(lineage);
  if (lineage === undefined || species === undefined) return;
  log.change(pointer('species'), b.species, species, `"${b.species}" is a lineage of ${species}`);
  b.species = species;
  if (b.lineage === undefined) {
    log.change(pointer('lineage'), null, lineage, `lineage taken from the species "${lineage}"`);
    b.lineage = lineage;
  }
}

export function repairIdentity(input: Build, content: Content, log: RepairLog): Build {
  const b = { ...input };
  speciesFromLineage(b, content, log);
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
