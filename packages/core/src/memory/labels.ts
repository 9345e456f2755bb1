/**
 * What a mention's label should read: the campaign's entities by id, their current names and aliases (for
 * `relabelMentions`, so a mention follows a rename). One read of the entity list.
 */
import type { Core } from '../core';

export interface MentionLabels {
  names: Map<string, string>;
  aliases: Map<string, readonly string[]>;
}

export async function mentionLabels(core: Core, campaign: string): Promise<MentionLabels> {
  const entities = await core.memory.entities.list(campaign);
  return {
    names: new Map(entities.map((e) => [e.id, e.name] as const)),
    aliases: new Map(entities.map((e) => [e.id, e.aliases] as const)),
  };
}
