/**
 * Student's t distribution: CDF through the regularized incomplete beta function, and its inverse by safeguarded
 * Newton iteration. Pure numerics, no dependencies.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { describe } from '../internal/validate.js';

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

// Lanczos approximation, g = 7, 9 coefficients (the standard published set); relative error ~1e-15 for x ≥ 0.5.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Stirling series correction lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], accurate for x ≥ 10. */
function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
}

/** ln Γ(x) for x > 0. @internal */
export function lnGamma(x: number): number {
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
  if (x < 0.5) {
    // Γ(x) = Γ(x + 1) / x keeps the argument in the Lanczos range.
    return lnGamma(x + 1) - Math.log(x);
  }
  const z = x - 1;
  let a = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) a += (LANCZOS[i] as number) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ln Γ(a + b) − ln Γ(a) without cancellation for large `a` (Stirling differences with log1p). @internal
 */
export function lnGammaRatio(a: number, b: number): number {
  if (a < 10) return lnGamma(a + b) - lnGamma(a);
  return (a - 0.5) * Math.log1p(b / a) + b * Math.log(a + b) - b + stirlingCorrection(a + b) - stirlingCorrection(a);
}

/** ln B(a, b). @internal */
export function lnBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big >= 10) return lnGamma(small) - lnGammaRatio(big, small);
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/**
 * Continued fraction of I_x(a, b) (Abramowitz & Stegun 26.5.8), evaluated by the modified Lentz method.
 * Returns 1 + d1/(1 + d2/(1 + …)).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const EPS = 1e-16;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let m = 1; m <= 1_000_000; m++) {
    const k = m >> 1;
    const coefficient = m % 2 === 1
      ? -((a + k) * (a + b + k) * x) / ((a + 2 * k) * (a + 2 * k + 1))
      : (k * (b - k) * x) / ((a + 2 * k - 1) * (a + 2 * k));
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) return f;
  }
  /* c8 ignore next */
  return f;
}

/**
 * Regularized incomplete beta I_x(a, b), given both x and y = 1 − x (so callers keep precision near 1). @internal
 */
export function regularizedBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  // The continued fraction converges fast for x < (a + 1)/(a + b + 2); otherwise use I_x(a,b) = 1 − I_y(b,a).
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(y, x, b, a);
  const lnX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const lnY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(a * lnX + b * lnY - lnBeta(a, b) - Math.log(a));
  return front / betaContinuedFraction(x, a, b);
}

/** P(T > t) for t ≥ 0: ½·I_x(ν/2, ½) with x = ν/(ν + t²). */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return 0.5 * regularizedBeta(x, y, df / 2, 0.5);
}

/** Density of Student's t with `df` degrees of freedom. */
function density(t: number, df: number): number {
  return Math.exp(lnGammaRatio(df / 2, 0.5) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

function checkDf(df: unknown, field: string): number {
  if (typeof df !== 'number' || Number.isNaN(df) || df <= 0) {
    throw new InvalidInputError(field, `must be a positive number (Infinity for the normal distribution), got ${describe(df)}`);
  }
  return df;
}

/**
 * P(T ≤ t) for Student's t distribution with `degreesOfFreedom` degrees of freedom. @internal
 */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  const df = checkDf(degreesOfFreedom, 'degreesOfFreedom');
  if (Number.isNaN(t)) throw new InvalidInputError('t', 'must be a number, got NaN');
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = df === Infinity ? normalUpperTail(Math.abs(t)) : upperTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
}

/** A rough standard normal quantile (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4), a starting point. */
function roughNormalQuantile(q: number): number {
  // Upper-tail quantile: returns z > 0 with P(Z > z) = q, for 0 < q ≤ 0.5.
  const t = Math.sqrt(-2 * Math.log(q));
  return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
}

/** P(Z > z) for z ≥ 0: ½·Q(½, z²/2), the regularized upper incomplete gamma function. */
function normalUpperTail(z: number): number {
  const x = (z * z) / 2;
  const a = 0.5;
  const lnFront = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    // Series for P(a, x) = x^a e^-x / Γ(a + 1) · Σ x^n / ((a + 1)…(a + n)); Q = 1 − P.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 0.5 * (1 - Math.exp(lnFront) * sum);
  }
  // Continued fraction for Q(a, x) (Legendre), modified Lentz: 1/(x + 1 − a − 1(1 − a)/(x + 3 − a − …)).
  const TINY = 1e-300;
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 1000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 0.5 * Math.exp(lnFront) * h;
}

/** z > 0 with P(Z > z) = q (0 < q < 0.5), by Newton's method from the rough quantile. */
function normalUpperQuantile(q: number): number {
  let z = roughNormalQuantile(q);
  for (let i = 0; i < 50; i++) {
    const density = Math.exp(-0.5 * z * z - LN_SQRT_2PI);
    const step = (normalUpperTail(z) - q) / density;
    z += step;
    if (Math.abs(step) <= 1e-15 * z) break;
  }
  return z;
}

// Above this many degrees of freedom the incomplete-beta tail loses digits (x = ν/(ν + t²) is too close to 1), and
// the Cornish–Fisher expansion of t around the normal quantile is accurate to ~1e-15 instead.
const LARGE_DF = 1e5;

/**
 * t quantile for large ν from the normal quantile z (Abramowitz & Stegun 26.7.5):
 * t = z + g1/ν + g2/ν² + g3/ν³ + g4/ν⁴.
 */
function cornishFisherT(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/**
 * The quantile (inverse CDF) of Student's t distribution: the t with P(T ≤ t) = `probability`. Exact closed forms
 * for 1 and 2 degrees of freedom; up to 100,000 degrees of freedom, Newton's method on the CDF (regularized incomplete
 * beta) kept inside a bisection bracket; above, the Cornish–Fisher expansion around the normal quantile. Relative
 * accuracy is about 1e-13 or better.
 *
 * @param probability - in (0, 1); 0.975 gives the two-sided 95% critical value.
 * @param degreesOfFreedom - positive, need not be an integer; `Infinity` gives the standard normal quantile.
 * @throws InvalidInputError for a probability outside (0, 1) or non-positive degrees of freedom.
 *
 * @example
 * ```ts
 * studentTQuantile(0.975, 9); // 2.2621571627…
 * ```
 */
export function studentTQuantile(probability: number, degreesOfFreedom: number): number {
  const df = checkDf(degreesOfFreedom, 'degreesOfFreedom');
  if (typeof probability !== 'number' || !(probability > 0 && probability < 1)) {
    throw new InvalidInputError('probability', `must be a number in (0, 1), got ${describe(probability)}`);
  }
  if (probability === 0.5) return 0;
  // Work with the upper tail q = P(T > t) of a positive t, by symmetry.
  const sign = probability > 0.5 ? 1 : -1;
  const q = probability > 0.5 ? 1 - probability : probability;
  if (df === 1) return sign * Math.tan(Math.PI * (0.5 - q));
  if (df === 2) return sign * (1 - 2 * q) / Math.sqrt(2 * q * (1 - q));
  if (df > LARGE_DF) return sign * cornishFisherT(normalUpperQuantile(q), df);

  // Bracket [lo, hi] with upperTail(lo) ≥ q ≥ upperTail(hi).
  let lo = 0;
  let hi = 1;
  while (upperTail(hi, df) > q) {
    lo = hi;
    hi *= 2;
  }
  // Start from the Cornish–Fisher expansion around the normal quantile.
  const z = roughNormalQuantile(q);
  let t = z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
  if (!(t > lo && t < hi)) t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const f = upperTail(t, df) - q;
    if (f === 0) break;
    if (f > 0) lo = t;
    else hi = t;
    // upperTail decreases with slope −density(t): Newton step t + f / density.
    let next = t + f / density(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const step = Math.abs(next - t);
    t = next;
    if (step <= 1e-15 * t || hi - lo <= 1e-15 * hi) break;
  }
  return sign * t;
}
