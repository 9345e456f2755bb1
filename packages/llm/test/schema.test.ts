import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StrictSchemaError, toJsonSchema, toStrictJsonSchema, wireSchemaName } from '../src/index';

describe('toJsonSchema', () => {
  it('describes the input side without $schema', () => {
    const json = toJsonSchema(z.object({ a: z.string(), b: z.number().default(1) }));
    expect(json.$schema).toBeUndefined();
    expect(json).toMatchObject({ type: 'object', required: ['a'] });
  });
});

describe('toStrictJsonSchema', () => {
  const Schema = z.object({
    name: z.string(),
    nick: z.string().optional(),
    kind: z.enum(['pc', 'npc']).default('pc'),
    gear: z.array(z.object({ item: z.string(), note: z.string().optional() })),
    pet: z.discriminatedUnion('t', [
      z.object({ t: z.literal('cat'), lives: z.number().optional() }),
      z.object({ t: z.literal('dog') }),
    ]),
  });

  it('makes every property required, objects closed, and optional ones nullable', () => {
    const { schema } = toStrictJsonSchema(Schema);
    expect(schema.required).toEqual(['name', 'nick', 'kind', 'gear', 'pet']);
    expect(schema.additionalProperties).toBe(false);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(props.nick).toEqual({ anyOf: [{ type: 'string' }, { type: 'null' }] });
    expect(props.kind).toEqual({ anyOf: [{ type: 'string', enum: ['pc', 'npc'] }, { type: 'null' }] });
    const item = (props.gear?.items ?? {}) as Record<string, unknown>;
    expect(item).toMatchObject({ additionalProperties: false, required: ['item', 'note'] });
    expect(props.pet?.oneOf).toBeUndefined();
    expect(props.pet?.anyOf).toHaveLength(2);
    expect(JSON.stringify(schema)).not.toContain('"default"');
  });

  it('restores nulls to absent fields so zod optionals and defaults apply, at any depth', () => {
    const { restore } = toStrictJsonSchema(Schema);
    const answer = {
      name: 'A',
      nick: null,
      kind: null,
      gear: [{ item: 'rope', note: null }],
      pet: { t: 'cat', lives: null },
    };
    const parsed = Schema.parse(restore(answer));
    expect(parsed).toEqual({ name: 'A', kind: 'pc', gear: [{ item: 'rope' }], pet: { t: 'cat' } });
  });

  it('keeps nulls where the schema itself allows null', () => {
    const S = z.object({ spouse: z.string().nullable() });
    const { restore } = toStrictJsonSchema(S);
    expect(restore({ spouse: null })).toEqual({ spouse: null });
  });

  it('rejects what strict mode cannot express, with the path', () => {
    expect(() => toStrictJsonSchema(z.object({ m: z.record(z.string(), z.number()) }))).toThrow(
      StrictSchemaError,
    );
    expect(() => toStrictJsonSchema(z.object({ m: z.record(z.string(), z.number()) }))).toThrow(
      /^\$\.m: records/,
    );
    expect(() => toStrictJsonSchema(z.object({ t: z.tuple([z.number(), z.string()]) }))).toThrow(
      /^\$\.t: tuples/,
    );
    expect(() => toStrictJsonSchema(z.array(z.string()))).toThrow(
      /root of a strict schema must be an object/,
    );
  });

  it('cleans schema names for the wire', () => {
    expect(wireSchemaName('character sheet v2!')).toBe('character_sheet_v2_');
    expect(wireSchemaName(undefined)).toBe('result');
    expect(wireSchemaName('x'.repeat(80))).toHaveLength(64);
  });
});
