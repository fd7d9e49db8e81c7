import { describe, expect, it } from 'vitest';
import { chunks } from '../pipeline/seed-write.ts';

describe('chunks: the rows of a seed statement', () => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('keeps the order and every item, in groups of at most 8,000 bound values', () => {
    const groups = chunks(numbers(5_000), () => 10, 3);
    expect(groups.flat()).toEqual(numbers(5_000));
    // 8,000 values over 3 a row: 2,666 rows, the last group the rest.
    expect(groups.map((group) => group.length)).toEqual([2_666, 2_334]);
  });

  it('starts a new group before a row would take it past 1 MiB', () => {
    const groups = chunks(numbers(5), () => 400 * 1024);
    expect(groups.map((group) => group.length)).toEqual([2, 2, 1]);
  });

  it('puts a row larger than either limit in a group of its own', () => {
    const groups = chunks(
      ['small', 'huge', 'small'],
      (item) => (item === 'huge' ? 2 * 1024 * 1024 : 1),
      9_000,
    );
    expect(groups).toEqual([['small'], ['huge'], ['small']]);
  });
});
