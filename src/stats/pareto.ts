/**
 * The one Pareto frontier of lambda-meter: used by power tuning's result and by the reports' scatter charts.
 *
 * @module
 */

/** True when `a` is smaller than `b` by more than rounding noise (a relative 1e-12). */
function less(a: number, b: number): boolean {
  return a < b && b - a > 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * The points on the Pareto frontier of two coordinates where smaller is better (cost and duration): a point is
 * dominated when another point is at least as good in both coordinates (`<=`) and strictly better (`<`) in one.
 * Equal points do not dominate each other: both are on the frontier. Differences within a relative 1e-12 count as
 * equal, so floating-point rounding never decides. Returns the frontier's points sorted by the first coordinate, then
 * the second; the input is not modified.
 *
 * @param points The points.
 * @param coordinates The two coordinates of a point, both "smaller is better", e.g. `(p) => [p.costUSD, p.durationMs]`.
 *
 * @example
 * ```ts
 * import { paretoFrontier } from 'lambda-meter/stats';
 *
 * const sizes = [
 *   { mb: 128, costUSD: 2e-6, durationMs: 800 },
 *   { mb: 512, costUSD: 1.8e-6, durationMs: 210 },
 *   { mb: 1024, costUSD: 1.9e-6, durationMs: 110 },
 *   { mb: 2048, costUSD: 3.8e-6, durationMs: 112 },
 * ];
 * paretoFrontier(sizes, (s) => [s.costUSD, s.durationMs]).map((s) => s.mb); // [512, 1024]
 * ```
 */
export function paretoFrontier<P>(points: readonly P[], coordinates: (point: P) => readonly [number, number]): P[] {
  const coords = points.map((p) => coordinates(p));
  const dominates = (a: readonly [number, number], b: readonly [number, number]): boolean =>
    !less(b[0], a[0]) && !less(b[1], a[1]) && (less(a[0], b[0]) || less(a[1], b[1]));
  const kept: { point: P; c: readonly [number, number] }[] = [];
  coords.forEach((c, i) => {
    if (!coords.some((other, j) => j !== i && dominates(other, c))) kept.push({ point: points[i] as P, c });
  });
  return kept.sort((a, b) => a.c[0] - b.c[0] || a.c[1] - b.c[1]).map((k) => k.point);
}
