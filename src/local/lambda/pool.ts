/**
 * The execution environments of `local`'s Lambda: warm reuse (the most recently used idle environment of the same
 * configuration first), a new environment when all are busy, idle eviction, and replacement of environments whose
 * configuration is no longer current.
 *
 * @module
 */
import type { FunctionConfig } from './config.js';
import type { ExecutionEnvironment } from './environment.js';
import type { EnvironmentInfo } from './types.js';

interface Slot {
  leased: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

/**
 * Every environment of one service.
 *
 * @example
 * ```ts
 * const pool = new EnvironmentPool((config) => new ExecutionEnvironment({ ...settings, config }), 300_000, isCurrent);
 * const env = pool.acquire(config);
 * try { await env.invoke(invocation); } finally { pool.release(env); }
 * ```
 */
export class EnvironmentPool {
  private readonly slots = new Map<ExecutionEnvironment, Slot>();

  /**
   * @param create makes a new environment for a configuration; it must call `forget` when the environment stops.
   * @param idleTimeoutMs how long an idle environment is kept.
   * @param isCurrent whether environments of a configuration may still serve invocations.
   */
  constructor(
    private readonly create: (config: FunctionConfig) => ExecutionEnvironment,
    private readonly idleTimeoutMs: number,
    private readonly isCurrent: (config: FunctionConfig) => boolean,
  ) {}

  /** An idle warm environment of `config`, or a new one; leased to the caller until `release`. */
  acquire(config: FunctionConfig): ExecutionEnvironment {
    let best: ExecutionEnvironment | undefined;
    for (const [env, slot] of this.slots) {
      if (slot.leased || !env.alive || env.config !== config) continue;
      if (best === undefined || env.lastUsedAt > best.lastUsedAt) best = env;
    }
    if (best !== undefined) {
      const slot = this.slots.get(best) as Slot;
      if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      slot.leased = true;
      return best;
    }
    const env = this.create(config);
    this.slots.set(env, { leased: true, idleTimer: undefined });
    return env;
  }

  /** Returns an environment after an invocation: kept warm, or stopped when dead or no longer current. */
  release(env: ExecutionEnvironment): void {
    const slot = this.slots.get(env);
    if (slot === undefined) return;
    slot.leased = false;
    if (!env.alive || !this.isCurrent(env.config)) {
      void env.stop();
      return;
    }
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = undefined;
      if (!slot.leased) void env.stop();
    }, this.idleTimeoutMs);
    slot.idleTimer.unref();
  }

  /** Drops a stopped environment. */
  forget(env: ExecutionEnvironment): void {
    const slot = this.slots.get(env);
    if (slot?.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    this.slots.delete(env);
  }

  /** Stops the idle environments whose configuration is no longer current (busy ones stop when released). */
  retire(): void {
    for (const [env, slot] of this.slots) {
      if (!slot.leased && !this.isCurrent(env.config)) void env.stop();
    }
  }

  /** Stops every environment; resolves once every process is gone. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.slots.keys()].map((env) => env.stop()));
  }

  /** Every environment, as `LambdaService.environments()` lists them. */
  list(): EnvironmentInfo[] {
    return [...this.slots.keys()].map((env) => env.info());
  }
}
