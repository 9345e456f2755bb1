import { describe, expect, it } from 'vitest';
import { extractJson } from '../src/index';

describe('extractJson', () => {
  it.each([
    ['bare object', '{"a":1}', { a: 1 }],
    ['bare array', ' [1,2] ', [1, 2]],
    ['json fence', 'Here:\n```json\n{"a":1}\n```\nbye', { a: 1 }],
    ['plain fence', '```\n{"a":[1,{"b":"}"}]}\n```', { a: [1, { b: '}' }] }],
    [
      'prose before and after',
      'Sure! {"name":"Ana {the} Bold"} Hope that helps {ok}.',
      { name: 'Ana {the} Bold' },
    ],
    ['braces inside strings', 'x {"s":"a \\" } ["} y', { s: 'a " } [' }],
    ['think block of a reasoning model', '<think>maybe {"a":0}</think>{"a":2}', { a: 2 }],
    ['byte order mark', '\uFEFF{"a":3}', { a: 3 }],
    ['skips a non-JSON brace first', 'Use {curly} braces: {"a":4}', { a: 4 }],
  ])('reads %s', (_label, text, expected) => {
    expect(extractJson(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['empty', '   ', /empty/],
    ['truncated object', '{"a": 1, "b": ', /no parseable JSON/],
    ['prose only', 'I cannot do that.', /no parseable JSON/],
    ['broken fence', '```json\n{"a": nope}\n```', /inside the code fence/],
  ])('reports %s', (_label, text, pattern) => {
    const result = extractJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(pattern);
  });
});
