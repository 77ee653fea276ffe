/**
 * Exact, non-negative decimal numbers for the cost module (internal).
 *
 * A `Dec` is `units × 10^-scale` with `units` a BigInt. Every quantity the cost model handles is a finite decimal:
 * prices are decimals, every finite JS number is read as its shortest round-trip decimal, and the only divisions
 * are by 1000, 1024 (= 2^10, so 1/1024 = 5^10 / 10^10) and 10^6. So sums and products stay exact; nothing is
 * rounded until a value is shown as a JS number.
 *
 * @module
 * @internal
 */

const POW10: bigint[] = [1n];

/** 10^k as a BigInt (cached). */
export function pow10(k: number): bigint {
  for (let i = POW10.length; i <= k; i++) POW10.push((POW10[i - 1] as bigint) * 10n);
  return POW10[k] as bigint;
}

// 1/1024 = 9765625 / 10^10 (5^10 = 9,765,625).
const FIVE_POW_10 = 9_765_625n;
const DECIMAL = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** An exact decimal `units × 10^-scale`. Immutable. */
export class Dec {
  static readonly ZERO = new Dec(0n, 0);

  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  /** `units × 10^-scale`. */
  static of(units: bigint, scale = 0): Dec {
    return new Dec(units, scale);
  }

  /**
   * Reads a decimal string such as `0.0000166667`, `2e-7` or `400000`, or returns undefined when the text is not a
   * plain decimal number. The sign is kept, so callers decide whether negatives are allowed.
   */
  static parse(text: string): Dec | undefined {
    const trimmed = text.trim();
    const negative = trimmed.startsWith('-');
    const body = negative || trimmed.startsWith('+') ? trimmed.slice(1) : trimmed;
    const m = DECIMAL.exec(body);
    if (!m) return undefined;
    const intPart = m[1] as string;
    const frac = m[2] ?? '';
    const exp = m[3] === undefined ? 0 : Number(m[3]);
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
    let units = BigInt(intPart + frac);
    let scale = frac.length - exp;
    if (scale < 0) {
      units *= pow10(-scale);
      scale = 0;
    }
    return new Dec(negative ? -units : units, scale);
  }

  /** A finite JS number, read as its shortest round-trip decimal (so `0.1` is exactly one tenth). */
  static fromNumber(value: number): Dec {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return Dec.parse(String(value)) as Dec;
  }

  /** The same value at a larger scale. */
  private rescale(scale: number): bigint {
    return scale === this.scale ? this.units : this.units * pow10(scale - this.scale);
  }

  add(other: Dec): Dec {
    if (this.scale === other.scale) return new Dec(this.units + other.units, this.scale);
    const scale = Math.max(this.scale, other.scale);
    return new Dec(this.rescale(scale) + other.rescale(scale), scale);
  }

  sub(other: Dec): Dec {
    const scale = Math.max(this.scale, other.scale);
    return new Dec(this.rescale(scale) - other.rescale(scale), scale);
  }

  mul(other: Dec): Dec {
    return new Dec(this.units * other.units, this.scale + other.scale);
  }

  mulInt(n: bigint): Dec {
    return new Dec(this.units * n, this.scale);
  }

  /** Divides by 10^k (exact). */
  shift(k: number): Dec {
    return new Dec(this.units, this.scale + k);
  }

  /** Divides by 1024 (exact: multiplies by 5^10 and divides by 10^10). */
  div1024(): Dec {
    return new Dec(this.units * FIVE_POW_10, this.scale + 10);
  }

  /** -1, 0 or 1. */
  cmp(other: Dec): number {
    const scale = Math.max(this.scale, other.scale);
    const a = this.rescale(scale);
    const b = other.rescale(scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  min(other: Dec): Dec {
    return this.cmp(other) <= 0 ? this : other;
  }

  max(other: Dec): Dec {
    return this.cmp(other) >= 0 ? this : other;
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  isNegative(): boolean {
    return this.units < 0n;
  }

  isInteger(): boolean {
    return this.scale <= 0 || this.units % pow10(this.scale) === 0n;
  }

  /** The smallest multiple of `step` (a positive integer) that is ≥ this value. */
  ceilToMultiple(step: bigint): Dec {
    const unit = step * pow10(this.scale);
    const q = this.units / unit;
    const r = this.units % unit;
    const n = r > 0n ? q + 1n : q;
    return new Dec(n * step, 0);
  }

  /** This value as a BigInt; only for integer values. */
  toBigInt(): bigint {
    return this.scale <= 0 ? this.units * pow10(-this.scale) : this.units / pow10(this.scale);
  }

  /** The exact decimal string, without trailing zeros after the point (`0.0000000020833375`, `18.737`, `0`). */
  toString(): string {
    const negative = this.units < 0n;
    const abs = negative ? -this.units : this.units;
    if (this.scale <= 0) return (negative ? '-' : '') + (abs * pow10(-this.scale)).toString();
    let digits = abs.toString();
    if (digits.length <= this.scale) digits = '0'.repeat(this.scale + 1 - digits.length) + digits;
    const point = digits.length - this.scale;
    let end = digits.length;
    while (end > point && digits.charCodeAt(end - 1) === 48 /* '0' */) end--;
    const text = end > point ? `${digits.slice(0, point)}.${digits.slice(point, end)}` : digits.slice(0, point);
    return negative ? `-${text}` : text;
  }

  /** The nearest JS number (correctly rounded by the engine's decimal parser). */
  toNumber(): number {
    return Number(this.toString());
  }
}

/**
 * A running exact sum that keeps one BigInt at the largest scale seen, so adding a million values of the same scale
 * costs one BigInt addition each.
 */
export class DecSum {
  private units = 0n;
  private scale = 0;

  add(value: Dec): void {
    if (value.scale === this.scale) {
      this.units += value.units;
    } else if (value.scale < this.scale) {
      this.units += value.units * pow10(this.scale - value.scale);
    } else {
      this.units = this.units * pow10(value.scale - this.scale) + value.units;
      this.scale = value.scale;
    }
  }

  value(): Dec {
    return Dec.of(this.units, this.scale);
  }
}
