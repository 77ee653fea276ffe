// Seeded randomness shared by the simulation benches (bench/compare.mjs, bench/tune-adaptive.mjs): the same streams
// for the same seeds, so a bench's figures can be reproduced.

/** mulberry32: a small, fast 32-bit PRNG; returns uniform numbers in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed hash over whole numbers (scenario, run, size, …), starting from `base`: each bench keeps its own streams. */
export function seedHasher(base) {
  return (...parts) => parts.reduce((h, p) => Math.imul(h ^ p, 0x9e3779b1) >>> 0, base);
}

/** One standard normal draw (Box–Muller) from a uniform generator. */
export function normal(random) {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
