/** Numbers that carry their explanation: `{ value: 18, parts: [{ source: 'chain-mail', value: 16 }, …] }`. */

export interface Part {
  readonly source: string;
  readonly value: number;
}

export interface Explained {
  readonly value: number;
  readonly parts: readonly Part[];
}

/** Sum the parts. Callers add optional parts (proficiency, magic bonuses) only when they apply. */
export function explain(parts: readonly Part[]): Explained {
  return { value: parts.reduce((sum, p) => sum + p.value, 0), parts: [...parts] };
}

export function part(source: string, value: number): Part {
  return { source, value };
}
