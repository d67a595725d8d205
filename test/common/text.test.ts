import assert from 'node:assert/strict';
import { countOf, listWithMore, truncateChars, truncateUtf8, utf8ByteLength } from '../../src/common/text.ts';
import { mulberry32 as seededRng } from '../../src/sandbox/prng.ts';

describe('bounded text', () => {
  it('utf8ByteLength agrees with Buffer.byteLength on random text', () => {
    const rng = seededRng(3);
    const alphabet = ['a', 'é', '房', '😀', '\u0000', '\ud800'];
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: Math.floor(rng() * 30) }, () => alphabet[Math.floor(rng() * alphabet.length)] ?? '').join('');
      assert.equal(utf8ByteLength(text), Buffer.byteLength(text, 'utf8'), JSON.stringify(text));
    }
  });

  it('truncateChars keeps short text and cuts long text by code points', () => {
    assert.equal(truncateChars('abc', 3), 'abc');
    assert.equal(truncateChars('abcd', 3), 'ab…');
    assert.equal(truncateChars('😀😀😀😀', 3), '😀😀…');
  });

  it('truncateUtf8 never exceeds the byte budget nor splits a character', () => {
    for (let max = 3; max < 40; max++) {
      const cut = truncateUtf8('房😀a'.repeat(10), max);
      assert.ok(Buffer.byteLength(cut) <= max, `max ${max}: ${Buffer.byteLength(cut)}`);
      assert.ok(!cut.includes('\ufffd'));
      assert.ok(cut.endsWith('…'));
    }
    assert.equal(truncateUtf8('short', 100), 'short');
  });

  it('listWithMore and countOf', () => {
    assert.equal(listWithMore(['a', 'b', 'c', 'd'], 2), 'a, b and 2 more');
    assert.equal(listWithMore(['a', 'b'], 2), 'a, b');
    assert.equal(listWithMore(['a', 'b', 'c'], 2, '; '), 'a; b and 1 more');
    assert.equal(countOf(1, 'user'), '1 user');
    assert.equal(countOf(0, 'user'), '0 users');
  });
});
