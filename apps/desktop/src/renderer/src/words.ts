/** Words, not ids: content ids and error codes as people read them. */
import { ABILITY_NAMES, titleWords } from '@loreforge/core/words';

const KIND_PREFIX = /^(spell|item|feat|class|subclass|species|background|lineage|skill|feature|tradition):/;

/** "sleight-of-hand" → "Sleight of Hand", "life-domain" → "Life Domain", "spell:fire-bolt" → "Fire Bolt". */
export function humanize(id: string): string {
  const words = id
    .replace(KIND_PREFIX, '')
    .split(/[-_\s]+/)
    .filter(Boolean);
  return titleWords(words);
}

export { ABILITY_NAMES };

/** 0.125 → "1/8", 0.25 → "1/4", 0.5 → "1/2", else the number. */
export const crText = (cr: number): string =>
  cr === 0.125 ? '1/8' : cr === 0.25 ? '1/4' : cr === 0.5 ? '1/2' : String(cr);

export const KIND_NAMES: Record<string, string> = {
  pc: 'player character',
  npc: 'NPC',
  monster: 'monster',
};

/**
 * An error from core in plain words. Core's messages start with the field they are about ("draftId: …",
 * "id: no spell …"); the code says what kind of trouble it is.
 */
export function plainError(code: string | undefined, message: string): string {
  if (code === 'disconnected')
    return 'Loreforge stopped answering. It reconnects by itself; if it does not, restart it.';
  if (code === 'internal') return `Something went wrong inside Loreforge: ${stripField(message)}`;
  if (code === 'unknown-channel') return 'This version of the app and Loreforge do not match; restart it.';
  // Bad input keeps the field it names; elsewhere the field is an internal name.
  const text = code === 'invalid-input' ? message : stripField(message);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "draftId: no draft x" → "no draft x" (the field name is for logs; the screen says where it happened). */
function stripField(message: string): string {
  return message.replace(/^[a-zA-Z][\w.[\]/-]*: (?=\S)/, '');
}

export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'} ago`;
  const d = Math.round(h / 24);
  return `${d} day${d === 1 ? '' : 's'} ago`;
}

/** A content element's name for display: a name that is really an id ("light-hammer") is put in words. */
export function displayName(name: string): string {
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) ? humanize(name) : name;
}
