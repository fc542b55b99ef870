import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalize } from './canonical-json.ts';

/** Strings that stress escaping and sorting mixed with arbitrary code points (never lone surrogates). */
const stringUnit = fc.oneof(
  fc.constantFrom('"', '\\', '/', '\n', '\r', '\b', '\f', '\t', '\u0000', '\u001f', '\u007f', '\u0080', '\u2028', '\u20ac', '\ufb33', '\ud83d\ude00'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const json = fc.jsonValue({ stringUnit, maxDepth: 4 });

/** The same value with every object's keys inserted in an order drawn from `random`. */
function permuteKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => permuteKeys(item, random));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k, permuteKeys(v, random)] as const);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries);
}

/** mulberry32: a seeded PRNG, so a failing shuffle replays from fast-check's seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** JCS prints -0 as 0, so a round trip yields +0 where the input had -0. */
function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)]));
}

function fromHex(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(hex));
  return view.getFloat64(0);
}

describe('canonicalize: RFC 8785 examples', () => {
  it('§3.2.2 sample', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    expect(canonicalize(JSON.parse(input))).toBe(expected);
    expect(canonicalBytes(JSON.parse(input)).equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('§3.2.3 sorts keys by UTF-16 code units', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    const out = canonicalize(JSON.parse(input));
    // Read the order from the text: a parsed object would list the integer-like key "1" first.
    expect([...out.matchAll(/:"([^"]*)"/g)].map((m) => m[1])).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(out).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    ['0x0000000000000000', '0'],
    ['0x8000000000000000', '0'],
    ['0x0000000000000001', '5e-324'],
    ['0x8000000000000001', '-5e-324'],
    ['0x7fefffffffffffff', '1.7976931348623157e+308'],
    ['0xffefffffffffffff', '-1.7976931348623157e+308'],
    ['0x4340000000000000', '9007199254740992'],
    ['0xc340000000000000', '-9007199254740992'],
    ['0x4430000000000000', '295147905179352830000'],
    ['0x44b52d02c7e14af5', '9.999999999999997e+22'],
    ['0x44b52d02c7e14af6', '1e+23'],
    ['0x44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['0x444b1ae4d6e2ef4e', '999999999999999700000'],
    ['0x444b1ae4d6e2ef4f', '999999999999999900000'],
    ['0x444b1ae4d6e2ef50', '1e+21'],
    ['0x3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['0x3eb0c6f7a0b5ed8d', '0.000001'],
    ['0x41b3de4355555553', '333333333.3333332'],
    ['0x41b3de4355555554', '333333333.33333325'],
    ['0x41b3de4355555555', '333333333.3333333'],
    ['0x41b3de4355555556', '333333333.3333334'],
    ['0x41b3de4355555557', '333333333.33333343'],
    ['0xbecbf647612f3696', '-0.0000033333333333333333'],
    ['0x43143ff3c1cb0959', '1424953923781206.2'],
  ])('Appendix B: %s → %s', (hex, expected) => {
    expect(canonicalize(fromHex(hex))).toBe(expected);
  });

  it.each([['0x7fffffffffffffff'], ['0x7ff8000000000000'], ['0x7ff0000000000000'], ['0xfff0000000000000']])(
    'Appendix B: %s (NaN / Infinity) throws',
    (hex) => {
      expect(() => canonicalize(fromHex(hex))).toThrow(TypeError);
      expect(() => canonicalize({ n: [fromHex(hex)] })).toThrow(TypeError);
    },
  );
});

describe('canonicalize: strictness', () => {
  it('escapes exactly what JCS escapes', () => {
    expect(canonicalize('\u0000\u0001\u001f \u007f/\u2028é😀')).toBe('"\\u0000\\u0001\\u001f \u007f/\u2028é😀"');
    expect(canonicalize('\b\t\n\f\r"\\')).toBe('"\\b\\t\\n\\f\\r\\"\\\\"');
  });

  it('keeps array order and writes no whitespace', () => {
    expect(canonicalize({ b: [3, 1, 2], a: { d: null, c: true } })).toBe('{"a":{"c":true,"d":null},"b":[3,1,2]}');
  });

  it.each([
    ['a lone high surrogate', '\ud83d'],
    ['a lone low surrogate in a key', { '\ude00': 1 }],
    ['undefined', undefined],
    ['an undefined member', { a: undefined }],
    ['an array hole', [1, , 3]],
    ['a function', { f: () => 1 }],
    ['a symbol', Symbol('s')],
    ['a bigint', 1n],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a Buffer', Buffer.from('x')],
    ['a symbol-keyed member', { [Symbol('s')]: 1 }],
  ])('rejects %s', (_name, value) => {
    expect(() => canonicalize(value)).toThrow(TypeError);
  });

  it('rejects cycles but accepts shared (acyclic) references', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(TypeError);
    const shared = { x: 1 };
    expect(canonicalize([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });

  it('accepts null-prototype objects and a "__proto__" member', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare['z'] = 1;
    bare['a'] = 2;
    expect(canonicalize(bare)).toBe('{"a":2,"z":1}');
    expect(canonicalize(JSON.parse('{"__proto__":{"b":1},"a":0}'))).toBe('{"__proto__":{"b":1},"a":0}');
  });
});

describe('canonicalize: properties', () => {
  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(json, fc.integer(), (value, seed) => {
        expect(canonicalize(permuteKeys(value, seeded(seed)))).toBe(canonicalize(value));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(canonicalize(value))).toEqual(withoutNegativeZero(value));
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(json, (value) => {
        const once = canonicalize(value);
        expect(canonicalize(JSON.parse(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});
