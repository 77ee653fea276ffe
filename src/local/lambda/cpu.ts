/**
 * Memory buys CPU: on Lambda a function gets CPU in proportion to its memory size, one vCPU at 1,769 MB, at most six
 * (lambda-facts §3). `local` gives each execution environment's process group the same share of one of this
 * machine's CPUs, by the best mechanism it finds at run time:
 *
 * 1. `cgroup2`: `cpu.max` of a child cgroup created under this process's own cgroup (needs a writable, delegated
 *    hierarchy with the `cpu` controller enabled for children);
 * 2. `cgroup1`: `cpu.cfs_quota_us` / `cpu.cfs_period_us` of a child cgroup under the `cpu` controller's mount;
 * 3. `duty-cycle`: SIGSTOP / SIGCONT of the process group, charging the CPU time it used (`/proc/<pid>/stat`) against
 *    a budget that grows by `share` ms per ms. Coarse (10 ms of CPU at a time), and a process stopped while it waits
 *    for I/O answers up to one stop late; an idle process is not stopped.
 *
 * The share is not the same over an environment's whole life (docs/local-lambda.md, "CPU"): an on-demand Init phase
 * runs with at least one whole vCPU, as Lambda's does, and each invocation starts with a short allowance of one vCPU
 * that pays for the runtime client's own per-invocation work; the function's code otherwise runs at its share.
 * `EnvironmentCpu` drives those changes through `CpuLimit.setShare`.
 *
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '../../errors.js';

/** The memory size that has the equivalent of one vCPU (lambda-facts §3, "At 1,769 MB, a function has … one vCPU"). */
export const MEMORY_MB_PER_VCPU = 1769;
/** The most vCPUs a function gets: 6, at 10,240 MB (lambda-facts §3). */
export const MAX_VCPUS = 6;
/** The CFS period of the cgroup mechanisms, in microseconds: short, so a throttled process runs in small slices. */
export const CGROUP_PERIOD_US = 20_000;
/** The duty cycle's shortest and longest period, in milliseconds. */
export const DUTY_MIN_PERIOD_MS = 20;
export const DUTY_MAX_PERIOD_MS = 50;
/** The shortest running slice the duty cycle aims for: Node's timers have about 1 ms resolution. */
const DUTY_MIN_RUN_MS = 4;
/** Slices shorter than this are not worth a signal. */
const DUTY_MIN_SLICE_MS = 1;
/** Linux reports utime and stime in USER_HZ ticks, 100 per second on every architecture Node.js runs on. */
const USER_HZ = 100;
/** One USER_HZ tick, in ms: the resolution of the CPU time the duty cycle charges. */
const TICK_MS = 1000 / USER_HZ;
/**
 * The runtime allowance, in milliseconds of wall time: how long the runtime client's own work on an invocation may
 * run with one whole vCPU before the function's share applies, once before the handler (reading the event) and once
 * after it (the response). That work is 0.8-1.4 ms of CPU in all, measured on a 2-vCPU AMD EPYC; this leaves room for
 * a slower or busier machine. lambda-meter's runtime client marks where the handler starts and ends, so the handler
 * itself runs at its share; a runtime client that does not mark it gets this allowance at the start of each
 * invocation, which a CPU-bound handler may use for its own work.
 */
export const RUNTIME_ALLOWANCE_MS = 4;
/** How long a cgroup that still holds exiting processes is retried before it is given up. */
const REMOVE_RETRY_MS = 20;
const REMOVE_ATTEMPTS = 100;

/** Whether environments get CPU in proportion to memory (`'proportional'`, as on Lambda) or all the machine has. */
export type CpuMode = 'proportional' | 'unlimited';

/** One way `local` can limit an environment's CPU: cgroup v2, cgroup v1, or stopping and continuing the process. */
export type CpuMechanism = 'cgroup2' | 'cgroup1' | 'duty-cycle';
/** The ways `local` can limit an environment's CPU, best first. */
export const CPU_MECHANISMS: readonly CpuMechanism[] = ['cgroup2', 'cgroup1', 'duty-cycle'];

/** How a service limits its environments' CPU, as `LambdaService.cpuControl` shows it. */
export interface CpuControlInfo {
  readonly mode: CpuMode;
  /** The mechanism in use; `'none'` when `mode` is `'unlimited'`. */
  readonly mechanism: CpuMechanism | 'none';
  /** The cgroup the environments' cgroups are created in (cgroup mechanisms only). */
  readonly cgroupParent?: string;
  /** The CPUs the shares are capped at: `os.availableParallelism()`, at most 6. */
  readonly availableCpus: number;
}

/** The limit put on one environment's process group; `release` lifts it (idempotent). */
export interface CpuLimit {
  /** The share of one CPU the process group gets now (1 = one whole CPU). */
  readonly share: number;
  /** The mechanism that enforces it; `'none'` when nothing needs enforcing (unlimited, or a share ≥ all CPUs). */
  readonly mechanism: CpuMechanism | 'none';
  /**
   * Gives the process group `share` of one CPU from now on (with cgroups the process moves between the function's
   * cgroup and a burst cgroup; a duty cycle runs the
   * group free at 1 or more and cycles it again below). Does nothing once released.
   */
  setShare(share: number): void;
  /** Continues a stopped process group and ends the limit; call it before the group is killed and when it exits. */
  release(): void;
}

/**
 * The share of one CPU a function of `memorySizeMB` gets: memory / 1,769 MB, capped at the machine's CPUs and at
 * Lambda's 6 vCPUs.
 *
 * @example
 * ```ts
 * cpuShare(1769); // 1
 * cpuShare(256); // 0.1447…
 * cpuShare(10240, 2); // 2 (capped at this machine's CPUs)
 * ```
 */
export function cpuShare(memorySizeMB: number, availableCpus: number = os.availableParallelism()): number {
  return Math.min(memorySizeMB / MEMORY_MB_PER_VCPU, availableCpus, MAX_VCPUS);
}

/**
 * The duty cycle's nominal period for a share, in milliseconds: long enough that its running slice, `share × period`
 * (how long the group runs between two checks of its CPU time), is about 4 ms, within 20-50 ms.
 *
 * @example
 * ```ts
 * dutyPeriodMs(cpuShare(128)); // 50
 * dutyPeriodMs(cpuShare(1024)); // 20
 * ```
 */
export function dutyPeriodMs(share: number): number {
  return Math.min(DUTY_MAX_PERIOD_MS, Math.max(DUTY_MIN_PERIOD_MS, DUTY_MIN_RUN_MS / share));
}

/**
 * The share of one CPU an environment gets during an on-demand Init phase and during each invocation's runtime
 * allowance: at least one whole vCPU (Lambda runs an on-demand Init with a full, unthrottled vCPU), more when its
 * memory buys more, capped at the machine's CPUs.
 *
 * @example
 * ```ts
 * burstShare(128, 2); // 1
 * burstShare(3538, 2); // 2
 * burstShare(128, 1); // 1
 * ```
 */
export function burstShare(memorySizeMB: number, availableCpus: number = os.availableParallelism()): number {
  return Math.max(cpuShare(memorySizeMB, availableCpus), Math.min(1, availableCpus, MAX_VCPUS));
}

/**
 * The CPU time a process has used, user plus system, in milliseconds, from `/proc/<pid>/stat` (Linux only; 10 ms
 * resolution). Threads are included; children are not.
 *
 * @example
 * ```ts
 * const before = readProcCpuTimeMs(pid) ?? 0;
 * // … let it work …
 * const shareOfOneCpu = ((readProcCpuTimeMs(pid) ?? 0) - before) / elapsedMs;
 * ```
 */
export function readProcCpuTimeMs(pid: number, procRoot = '/proc'): number | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: fields are counted after its last ')'. utime, stime = 14, 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return ((utime + stime) * 1000) / USER_HZ;
}

// ---------------------------------------------------------------------------------------------------------------
// Finding a cgroup to create environments' cgroups in

interface MountEntry {
  readonly root: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly superOptions: readonly string[];
}

/** `\040` and the like in mountinfo paths. */
function unescapeMountPath(value: string): string {
  return value.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 6) continue;
    entries.push({
      root: unescapeMountPath(fields[3] ?? ''),
      mountPoint: unescapeMountPath(fields[4] ?? ''),
      fsType: fields[separator + 1] ?? '',
      superOptions: (fields[separator + 3] ?? '').split(','),
    });
  }
  return entries;
}

/** The directory of a cgroup path inside a mount of its hierarchy, or undefined when the mount does not show it. */
function cgroupDirectory(mount: MountEntry, cgroupPath: string): string | undefined {
  const relative = path.posix.relative(mount.root, cgroupPath);
  if (relative.startsWith('..')) return undefined;
  return path.join(mount.mountPoint, relative);
}

/**
 * The cgroup directories of this process that could hold environments' cgroups: its cgroup v2 cgroup, and its cgroup
 * v1 `cpu` cgroup, as `/proc/self/mountinfo` and `/proc/self/cgroup` place them. Neither is checked for writability.
 *
 * @example
 * ```ts
 * findCgroupDirectories(); // { cgroup1: '/sys/fs/cgroup/cpu' } on a cgroup v1 machine
 * ```
 */
export function findCgroupDirectories(procRoot = '/proc'): { readonly cgroup2?: string; readonly cgroup1?: string } {
  let mounts: MountEntry[];
  let membership: string;
  try {
    mounts = parseMountInfo(readFileSync(path.join(procRoot, 'self', 'mountinfo'), 'utf8'));
    membership = readFileSync(path.join(procRoot, 'self', 'cgroup'), 'utf8');
  } catch {
    return {};
  }
  let cgroup2: string | undefined;
  let cgroup1: string | undefined;
  for (const line of membership.split('\n')) {
    // hierarchy-id:controller,list:/path — the cgroup v2 line is `0::/path`.
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (match === null) continue;
    const [, id, controllers, cgroupPath] = match as unknown as [string, string, string, string];
    if (id === '0' && controllers === '') {
      const mount = mounts.find((m) => m.fsType === 'cgroup2');
      if (mount !== undefined) cgroup2 = cgroupDirectory(mount, cgroupPath);
    } else if (controllers.split(',').includes('cpu')) {
      const mount = mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes('cpu'));
      if (mount !== undefined) cgroup1 = cgroupDirectory(mount, cgroupPath);
    }
  }
  return { ...(cgroup2 === undefined ? {} : { cgroup2 }), ...(cgroup1 === undefined ? {} : { cgroup1 }) };
}

let probeCount = 0;

/** Whether a child cgroup can be created under `parent` and given a CPU limit; leaves nothing behind. */
function canLimit(mechanism: 'cgroup1' | 'cgroup2', parent: string): boolean {
  if (mechanism === 'cgroup2') {
    try {
      if (!readFileSync(path.join(parent, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu')) return false;
      // Children get cpu.max only when the parent delegates the controller (this fails for a cgroup with processes).
      if (!readFileSync(path.join(parent, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('cpu')) {
        writeFileSync(path.join(parent, 'cgroup.subtree_control'), '+cpu');
      }
    } catch {
      return false;
    }
  }
  const probe = path.join(parent, `lambda-meter-probe-${process.pid}-${++probeCount}`);
  try {
    mkdirSync(probe);
  } catch {
    return false;
  }
  try {
    writeLimit(mechanism, probe, 1);
    return true;
  } catch {
    return false;
  } finally {
    removeNow(probe);
  }
}

function writeLimit(mechanism: 'cgroup1' | 'cgroup2', dir: string, share: number, periodToo = true): void {
  const quotaUs = Math.max(1000, Math.round(share * CGROUP_PERIOD_US));
  if (mechanism === 'cgroup2') {
    writeFileSync(path.join(dir, 'cpu.max'), `${quotaUs} ${CGROUP_PERIOD_US}`);
  } else {
    if (periodToo) writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(CGROUP_PERIOD_US));
    writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
  }
}

/**
 * Removes the empty cgroups that services of processes no longer running left under `parent` (a process that ended
 * without stopping its `local`). Those of running processes are theirs and stay.
 */
function sweepStaleCgroups(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const owner = /^lambda-meter-(?:probe-)?(\d+)-\d+(?:-\d+)?$/.exec(name)?.[1];
    if (owner !== undefined && !processRuns(Number(owner))) removeNow(path.join(parent, name));
  }
}

/** Whether a process with this id exists (one we may not signal exists too). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes an empty cgroup; false while processes are still in it. */
function removeNow(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EBUSY';
  }
}

/**
 * The mechanisms that work on this machine for this user, best first. `'duty-cycle'` works everywhere but Windows;
 * the cgroup ones are tried by creating (and removing) a probe cgroup.
 *
 * @example
 * ```ts
 * availableCpuMechanisms(); // ['cgroup1', 'duty-cycle'] on a cgroup v1 host as root
 * ```
 */
export function availableCpuMechanisms(options: { readonly procRoot?: string } = {}): CpuMechanism[] {
  return [...findMechanisms(options.procRoot ?? '/proc').keys()];
}

function findMechanisms(procRoot: string): Map<CpuMechanism, string | undefined> {
  const found = new Map<CpuMechanism, string | undefined>();
  if (process.platform === 'linux' || procRoot !== '/proc') {
    const dirs = findCgroupDirectories(procRoot);
    if (dirs.cgroup2 !== undefined && canLimit('cgroup2', dirs.cgroup2)) found.set('cgroup2', dirs.cgroup2);
    if (dirs.cgroup1 !== undefined && canLimit('cgroup1', dirs.cgroup1)) found.set('cgroup1', dirs.cgroup1);
  }
  if (process.platform !== 'win32') found.set('duty-cycle', undefined);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Duty cycling

/** Every running duty cycle, so that none leaves its process group stopped when this process exits. */
const activeCycles = new Set<DutyCycle>();

function continueAllOnExit(): void {
  for (const cycle of [...activeCycles]) cycle.release();
}

/**
 * What a duty cycle needs from the system: a clock, a process group's CPU time, signals and timers. Tests give it a
 * simulated process and a fake clock; `local` gives it the real ones.
 */
export interface DutyCycleHost {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** The CPU time the group's leader has used, in ms; undefined when it cannot be read. */
  cpuTimeMs(pgid: number): number | undefined;
  /** Sends a signal to the process group; throws when the group is gone. */
  signal(pgid: number, signal: 'SIGSTOP' | 'SIGCONT'): void;
  /** Calls `callback` once after `delayMs`; the timer must not keep the process alive. */
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(timer: unknown): void;
}

const systemHost: DutyCycleHost = {
  now: () => performance.now(),
  cpuTimeMs: (pgid) => readProcCpuTimeMs(pgid),
  signal: (pgid, signal) => process.kill(-pgid, signal),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};

/**
 * Runs a process group while it has CPU budget and stops it while it has none. The budget grows by `share` ms per ms
 * of wall time, up to one running slice plus one `/proc` tick (so an idle process keeps a little burst and is never
 * stopped for the tick rounding of its small use), and shrinks by the CPU time the process really used, all its
 * threads included (read from `/proc/<pid>/stat` at each check, every running slice). Without `/proc` the wall time
 * the group was left running is charged instead (one thread's worth). A group in debt is stopped until the debt is
 * paid back: `debt / share` ms, so at least one 10 ms tick over the share — 138 ms at 128 MB.
 *
 * A share of 1 or more is not cycled: the group runs free (one process group cannot be stopped for a part of one CPU
 * and run on more), and the CPU it uses meanwhile is not charged. `setShare` moves between the two; the budget (or
 * the debt) the group had when it was set free is what it has when cycling resumes.
 */
export class DutyCycle implements CpuLimit {
  readonly mechanism = 'duty-cycle';
  private timer: unknown;
  private stopped = false;
  private released = false;
  private currentShare = 0;
  /** CPU time owed to the group, in ms; negative is debt. */
  private balance = 0;
  private last: number;
  private lastCpuMs: number | undefined;
  /** How long the group runs between checks. */
  private sliceMs = DUTY_MIN_SLICE_MS;
  private maxBalance = 0;
  private minBalance = 0;

  constructor(
    private readonly pgid: number,
    share: number,
    periodMs: number = dutyPeriodMs(Math.min(1, share)),
    private readonly host: DutyCycleHost = systemHost,
  ) {
    this.last = host.now();
    this.configure(share, periodMs);
    this.balance = this.maxBalance;
    this.lastCpuMs = host.cpuTimeMs(pgid);
    if (activeCycles.size === 0) process.once('exit', continueAllOnExit);
    activeCycles.add(this);
    if (!this.free) this.schedule(this.sliceMs);
  }

  /** The share of one CPU the group gets now. */
  get share(): number {
    return this.currentShare;
  }

  /** Whether the group runs uncycled (a share of one CPU or more). */
  private get free(): boolean {
    return this.currentShare >= 1;
  }

  /**
   * Changes the share from now on. Going free (≥ 1) settles the budget at the old share and continues a stopped
   * group; coming back starts counting the group's CPU afresh, so what it used while free is not charged.
   */
  setShare(share: number, periodMs: number = dutyPeriodMs(Math.min(1, share))): void {
    if (this.released || !(share > 0)) return;
    const wasFree = this.free;
    if (!wasFree) this.settle();
    this.host.clearTimer(this.timer);
    this.timer = undefined;
    this.configure(share, periodMs);
    this.balance = Math.min(this.maxBalance, Math.max(this.minBalance, this.balance));
    if (this.free) {
      if (this.stopped && !this.send('SIGCONT')) return;
      this.stopped = false;
      return;
    }
    if (wasFree) {
      this.last = this.host.now();
      this.lastCpuMs = this.host.cpuTimeMs(this.pgid);
    }
    if (this.stopped) {
      if (this.balance >= 0) {
        if (!this.send('SIGCONT')) return;
        this.stopped = false;
        this.schedule(this.sliceMs);
      } else {
        this.schedule(Math.max(DUTY_MIN_SLICE_MS, -this.balance / this.currentShare));
      }
    } else {
      this.schedule(this.sliceMs);
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.host.clearTimer(this.timer);
    this.timer = undefined;
    activeCycles.delete(this);
    if (activeCycles.size === 0) process.off('exit', continueAllOnExit);
    if (this.stopped) {
      this.stopped = false;
      try {
        this.host.signal(this.pgid, 'SIGCONT');
      } catch {
        // The group is gone.
      }
    }
  }

  private configure(share: number, periodMs: number): void {
    this.currentShare = share;
    const cycled = Math.min(share, 1);
    this.sliceMs = Math.max(DUTY_MIN_SLICE_MS, cycled * periodMs);
    this.maxBalance = this.sliceMs + TICK_MS;
    // At most about one period of debt: a blocked event loop must not turn into a stop of seconds.
    this.minBalance = -(periodMs + 2 * TICK_MS);
  }

  private schedule(delayMs: number): void {
    this.timer = this.host.setTimer(() => this.tick(), delayMs);
  }

  /** Charges the CPU used since the last check against the budget grown since then. */
  private settle(): void {
    const now = this.host.now();
    const elapsed = now - this.last;
    this.last = now;
    const cpuMs = this.lastCpuMs === undefined ? undefined : this.host.cpuTimeMs(this.pgid);
    const used = cpuMs === undefined || this.lastCpuMs === undefined ? (this.stopped ? 0 : elapsed) : cpuMs - this.lastCpuMs;
    if (cpuMs !== undefined) this.lastCpuMs = cpuMs;
    this.balance = Math.min(this.maxBalance, Math.max(this.minBalance, this.balance + this.currentShare * elapsed - used));
  }

  private tick(): void {
    this.timer = undefined;
    this.settle();
    if (this.stopped) {
      if (!this.send('SIGCONT')) return;
      this.stopped = false;
      this.schedule(this.sliceMs);
    } else if (this.balance < 0) {
      if (!this.send('SIGSTOP')) return;
      this.stopped = true;
      this.schedule(Math.max(DUTY_MIN_SLICE_MS, -this.balance / this.currentShare));
    } else {
      this.schedule(this.sliceMs);
    }
  }

  private send(signal: 'SIGSTOP' | 'SIGCONT'): boolean {
    try {
      this.host.signal(this.pgid, signal);
      return true;
    } catch {
      // The group is gone: nothing is left to limit.
      this.release();
      return false;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The controller

/** Options of `CpuController`, the service's `cpu` and `cpuMechanism` options. */
export interface CpuControllerOptions {
  /**
   * Whether CPU is given in proportion to memory.
   * @default 'proportional'
   */
  readonly mode?: CpuMode;
  /**
   * Forces a mechanism (tests); it must be available.
   * @default the best available
   */
  readonly mechanism?: CpuMechanism;
  /**
   * Where `/proc` is (tests).
   * @default '/proc'
   */
  readonly procRoot?: string;
}

let controllerCount = 0;

/** How an environment's CPU limit starts, the third argument of `CpuController.attach`. */
export interface AttachOptions {
  /**
   * True for an on-demand Init phase: the group starts with `burstShare` (at least one whole vCPU) until
   * `EnvironmentCpu.endInit`. False for a suppressed init re-run inside an invocation, or a provisioned environment's
   * init, which run at the function's share.
   * @default false
   */
  readonly initBurst?: boolean;
  /**
   * How long each invocation runs with `burstShare` before its share applies, in ms of wall time (0: none).
   * @default RUNTIME_ALLOWANCE_MS
   */
  readonly allowanceMs?: number;
}

/** The timers `EnvironmentCpu` sets; tests give it fake ones. */
export type CpuTimers = Pick<DutyCycleHost, 'setTimer' | 'clearTimer'>;

/**
 * One environment's CPU over its life, on top of the `CpuLimit` that enforces it:
 *
 * - an on-demand Init phase runs at `burstShare` (at least one whole vCPU) until `endInit`, the runtime's first
 *   `/next`; from then on the function's share (memory / 1,769 MB of one CPU) applies;
 * - in each invocation (`beginInvocation` … `endInvocation`) the runtime client's own work runs at `burstShare` and
 *   the handler at the function's share: `handlerStart` and `handlerEnd` mark the handler (lambda-meter's runtime
 *   client sends them), and each stretch of the client's work is capped at `allowanceMs` of wall time. Without the
 *   marks (another runtime client) the invocation starts with `allowanceMs` at `burstShare`, then the share. A no-op
 *   handler's Duration so does not depend on the memory size; a CPU-bound one is held to its share.
 *
 * @example
 * ```ts
 * const cpu = controller.attach(child.pid, 128, { initBurst: true }); // cpu.share === 1
 * // … the runtime's first /next:
 * cpu.endInit(); // cpu.share === 128 / 1769
 * cpu.beginInvocation(); // one vCPU while the runtime client reads the event (4 ms at most)
 * cpu.handlerStart(); // 128 / 1769 while the handler runs
 * cpu.handlerEnd(); // one vCPU while the runtime client posts the response (4 ms at most)
 * // … the response is in:
 * cpu.endInvocation(); // 128 / 1769 again
 * ```
 */
export class EnvironmentCpu implements CpuLimit {
  /** How long each invocation's allowance lasts, in ms of wall time. */
  readonly allowanceMs: number;
  private initializing: boolean;
  private invoking = false;
  private allowanceTimer: unknown;
  private released = false;

  /**
   * @param limit - the mechanism's limit, set to `initBurst ? burst : share` already
   * @param memoryShare - the function's share of one CPU, `cpuShare(memorySizeMB)`
   * @param burst - the share of the Init phase and the allowance, `burstShare(memorySizeMB)`
   */
  constructor(
    private readonly limit: CpuLimit,
    readonly memoryShare: number,
    readonly burst: number,
    options: AttachOptions = {},
    private readonly timers: CpuTimers = systemHost,
  ) {
    this.initializing = options.initBurst === true;
    this.allowanceMs = Math.max(0, options.allowanceMs ?? RUNTIME_ALLOWANCE_MS);
  }

  get share(): number {
    return this.limit.share;
  }

  get mechanism(): CpuMechanism | 'none' {
    return this.limit.mechanism;
  }

  /** Whether the environment is in its on-demand Init phase (and so at `burst`). */
  get inInit(): boolean {
    return this.initializing;
  }

  setShare(share: number): void {
    if (!this.released) this.limit.setShare(share);
  }

  /** The Init phase is over (the runtime asked for its first event): the function's share applies from now on. */
  endInit(): void {
    if (!this.initializing) return;
    this.initializing = false;
    this.setShare(this.memoryShare);
  }

  /**
   * An invocation starts: `burst` while the runtime client reads the event, until `handlerStart` or for
   * `allowanceMs` at most (a runtime client that does not mark the handler gets just this allowance), then the
   * function's share.
   */
  beginInvocation(): void {
    this.endInit();
    this.invoking = true;
    this.burstFor(this.allowanceMs);
  }

  /** The runtime client calls the handler now: the function's own code runs at its share. */
  handlerStart(): void {
    if (!this.invoking || this.released) return;
    this.clearAllowance();
    if (this.limit.share !== this.memoryShare) this.setShare(this.memoryShare);
  }

  /**
   * The handler's result or error is in: the runtime client's work on the response runs at `burst`, for
   * `allowanceMs` at most, until `endInvocation`.
   */
  handlerEnd(): void {
    if (!this.invoking) return;
    this.burstFor(this.allowanceMs);
  }

  /** The invocation is over: back to the function's share. */
  endInvocation(): void {
    if (!this.invoking) return;
    this.invoking = false;
    this.clearAllowance();
    if (!this.released && this.limit.share !== this.memoryShare) this.setShare(this.memoryShare);
  }

  /** `burst` for `ms` at most, then the function's share. */
  private burstFor(ms: number): void {
    this.clearAllowance();
    if (ms <= 0 || this.burst <= this.memoryShare || this.released) return;
    this.setShare(this.burst);
    this.allowanceTimer = this.timers.setTimer(() => {
      this.allowanceTimer = undefined;
      this.setShare(this.memoryShare);
    }, ms);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.clearAllowance();
    this.limit.release();
  }

  private clearAllowance(): void {
    if (this.allowanceTimer === undefined) return;
    this.timers.clearTimer(this.allowanceTimer);
    this.allowanceTimer = undefined;
  }
}

/**
 * Limits the CPU of a service's environments. `attach` right after a process is spawned; `release` the limit before
 * the process is killed and when it exits; `close` when the service stops, to remove what is left of its cgroups.
 *
 * @example
 * ```ts
 * const cpu = new CpuController({ mode: 'proportional' });
 * const limit = cpu.attach(child.pid, 256, { initBurst: true }); // one vCPU while it initializes
 * limit.endInit(); // then a quarter of the time of 1,024 MB
 * // … on exit:
 * limit.release();
 * await cpu.close();
 * ```
 */
export class CpuController {
  readonly mode: CpuMode;
  private mechanism: CpuMechanism | 'none';
  private cgroupParent: string | undefined;
  private readonly availableCpus = Math.min(os.availableParallelism(), MAX_VCPUS);
  private readonly id = `${process.pid}-${++controllerCount}`;
  private environmentCount = 0;
  /** cgroups created and not yet removed. */
  private readonly cgroups = new Set<string>();
  private readonly removals = new Set<Promise<void>>();

  constructor(options: CpuControllerOptions = {}) {
    const mode = options.mode ?? 'proportional';
    if (mode !== 'proportional' && mode !== 'unlimited') {
      throw new InvalidInputError('options.cpu', `must be 'proportional' or 'unlimited', got ${JSON.stringify(mode)}`);
    }
    this.mode = mode;
    const forced = options.mechanism;
    if (forced !== undefined && !(CPU_MECHANISMS as readonly string[]).includes(forced)) {
      throw new InvalidInputError('options.cpuMechanism', `must be one of ${CPU_MECHANISMS.join(', ')}, got ${JSON.stringify(forced)}`);
    }
    if (mode === 'unlimited') {
      this.mechanism = 'none';
      return;
    }
    const found = findMechanisms(options.procRoot ?? '/proc');
    if (forced !== undefined && !found.has(forced)) {
      throw new InvalidInputError('options.cpuMechanism', `${forced} is not available here (available: ${[...found.keys()].join(', ') || 'none'})`);
    }
    const mechanism = forced ?? [...found.keys()][0];
    this.mechanism = mechanism ?? 'none';
    this.cgroupParent = mechanism === undefined ? undefined : found.get(mechanism);
    if (this.cgroupParent !== undefined) sweepStaleCgroups(this.cgroupParent);
  }

  /** The mode, the mechanism in use and where its cgroups go. */
  get info(): CpuControlInfo {
    return {
      mode: this.mode,
      mechanism: this.mechanism,
      ...(this.cgroupParent === undefined ? {} : { cgroupParent: this.cgroupParent }),
      availableCpus: this.availableCpus,
    };
  }

  /**
   * Limits a just-spawned process (the leader of its own process group) to the share of `memorySizeMB`, or to its
   * burst share first when `options.initBurst` is set. A cgroup that cannot be made falls back to duty cycling, for
   * this and later environments.
   */
  attach(pid: number, memorySizeMB: number, options: AttachOptions = {}): EnvironmentCpu {
    const share = cpuShare(memorySizeMB, this.availableCpus);
    const burst = burstShare(memorySizeMB, this.availableCpus);
    const initial = options.initBurst === true ? burst : share;
    return new EnvironmentCpu(this.limit(pid, share, initial), share, burst, options);
  }

  /** Removes every cgroup left; processes still in one are moved back to this process's cgroup first. */
  async close(): Promise<void> {
    await Promise.all([...this.removals]);
    const parent = this.cgroupParent;
    for (const dir of [...this.cgroups]) {
      if (parent !== undefined && !removeNow(dir)) {
        try {
          for (const pid of readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
            writeFileSync(path.join(parent, 'cgroup.procs'), pid);
          }
        } catch {
          // Gone meanwhile.
        }
        removeNow(dir);
      }
      this.cgroups.delete(dir);
    }
  }

  /** The mechanism's limit for a group whose share is `share` at most times and `initial` now. */
  private limit(pid: number, share: number, initial: number): CpuLimit {
    const mechanism = this.mechanism;
    if (mechanism === 'cgroup1' || mechanism === 'cgroup2') {
      if (share >= this.availableCpus) return unlimited(share);
      const limit = this.attachCgroup(mechanism, pid, share, initial);
      if (limit !== undefined) return limit;
      this.mechanism = 'duty-cycle';
      this.cgroupParent = undefined;
    }
    // One process group cannot be stopped for a part of one CPU and run on more: shares ≥ 1 run free.
    if (this.mechanism === 'duty-cycle' && share < 1) return new DutyCycle(pid, initial);
    return unlimited(share);
  }

  /**
   * The cgroup limit of one environment: the function's cgroup, whose quota is its share and is never rewritten, and,
   * for the times the group gets more (the Init phase, the runtime allowance), a sibling cgroup with that quota, which
   * the runtime process moves into and back out of. Moving leaves the function's cgroup's accounting alone: rewriting
   * its quota instead would hand it a whole period's quota afresh at every change (the kernel refills the runtime of
   * the current period when a quota is written), so that back-to-back short invocations would each run at one vCPU.
   */
  private attachCgroup(mechanism: 'cgroup1' | 'cgroup2', pid: number, share: number, initial: number): CpuLimit | undefined {
    const parent = this.cgroupParent as string;
    const dir = path.join(parent, `lambda-meter-${this.id}-${++this.environmentCount}`);
    const burstDir = `${dir}-burst`;
    try {
      mkdirSync(dir);
    } catch {
      return undefined;
    }
    let burstCreated = false;
    /** The burst cgroup with quota `next`, created the first time. */
    const burstAt = (next: number): void => {
      if (!burstCreated) {
        mkdirSync(burstDir);
        burstCreated = true;
        this.cgroups.add(burstDir);
      }
      writeLimit(mechanism, burstDir, next);
    };
    try {
      writeLimit(mechanism, dir, share);
      // The whole thread group moves; the processes it starts later are born in its cgroup.
      if (initial === share) {
        writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
      } else {
        burstAt(initial);
        writeFileSync(path.join(burstDir, 'cgroup.procs'), String(pid));
      }
    } catch {
      if (burstCreated) removeNow(burstDir);
      removeNow(dir);
      return undefined;
    }
    this.cgroups.add(dir);
    let released = false;
    let current = initial;
    let burstQuota = initial === share ? undefined : initial;
    return {
      get share() {
        return current;
      },
      mechanism,
      setShare: (next: number) => {
        if (released || next === current) return;
        try {
          if (next === share) {
            // Back to the function's cgroup: the runtime process, and whatever it started meanwhile (born in the
            // burst cgroup), so that nothing keeps the burst.
            const pids = burstCreated ? readFileSync(path.join(burstDir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean) : [];
            for (const p of pids.length === 0 ? [String(pid)] : pids) writeFileSync(path.join(dir, 'cgroup.procs'), p);
          } else {
            if (burstQuota !== next) {
              burstAt(next);
              burstQuota = next;
            }
            writeFileSync(path.join(burstDir, 'cgroup.procs'), String(pid));
          }
          current = next;
        } catch {
          // The cgroup is gone with its processes.
        }
      },
      release: () => {
        if (released) return;
        released = true;
        for (const d of burstCreated ? [dir, burstDir] : [dir]) {
          const removal = this.remove(d);
          this.removals.add(removal);
          void removal.finally(() => this.removals.delete(removal));
        }
      },
    };
  }

  /** Removes a cgroup once its processes have exited (they may still be dying when the limit is released). */
  private async remove(dir: string): Promise<void> {
    for (let attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
      if (removeNow(dir)) {
        this.cgroups.delete(dir);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, REMOVE_RETRY_MS));
    }
  }
}

function unlimited(share: number): CpuLimit {
  return { share, mechanism: 'none', setShare: () => undefined, release: () => undefined };
}
