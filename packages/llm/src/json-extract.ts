export type JsonExtraction =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

const FENCE = /```[a-zA-Z0-9_-]*[ \t]*\r?\n?([\s\S]*?)```/g;
const THINK = /<think>[\s\S]*?<\/think>/gi;
/** Bound the scan so a huge non-JSON answer cannot make extraction quadratic. */
const MAX_CANDIDATES = 20;

function tryParse(text: string): JsonExtraction {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** End index (exclusive) of the balanced object/array that starts at `start`, or -1. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Find the JSON value in a model's answer. Accepts bare JSON, JSON inside ``` fences, and JSON
 * surrounded by prose (the first balanced `{...}`/`[...]` that parses). `<think>` blocks of
 * reasoning models are ignored. Returns the parse error of the most plausible candidate otherwise.
 */
export function extractJson(answer: string): JsonExtraction {
  const text = answer
    .replace(/^\uFEFF/, '')
    .replace(THINK, '')
    .trim();
  if (text === '') return { ok: false, error: 'the answer was empty' };
  const direct = tryParse(text);
  if (direct.ok) return direct;
  let firstError = direct.error;

  for (const match of text.matchAll(FENCE)) {
    const inner = (match[1] ?? '').trim();
    if (inner === '') continue;
    const fenced = tryParse(inner);
    if (fenced.ok) return fenced;
    firstError = `inside the code fence: ${fenced.error}`;
  }

  let candidates = 0;
  for (let i = 0; i < text.length && candidates < MAX_CANDIDATES; i++) {
    const ch = text[i];
    if (ch !== '{' && ch !== '[') continue;
    candidates++;
    const end = balancedEnd(text, i);
    if (end === -1) continue;
    const parsed = tryParse(text.slice(i, end));
    if (parsed.ok) return parsed;
  }
  return { ok: false, error: `no parseable JSON found (${firstError})` };
}
