/**
 * Seeded randomness shared by the pipelines and `local`: one generator and one shuffle, so that a run with a seed
 * draws the same numbers wherever it is made.
 *
 * @module
 */

/**
 * A small seeded generator (mulberry32): uniform numbers in [0, 1), the same sequence for the same seed.
 *
 * @example
 * ```ts
 * const random = mulberry32(7);
 * random(); // the same number on every run
 * ```
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Shuffles `items` in place (Fisher–Yates, from the last item down) and returns them.
 *
 * @example
 * ```ts
 * shuffle(['a', 'a', 'b', 'b'], mulberry32(1));
 * ```
 */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
