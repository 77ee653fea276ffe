/**
 * A cold page cache for each on-demand Init (`LambdaServiceOptions.coldPageCache`).
 *
 * Each Lambda execution environment holds its own copy of the runtime and the function's code, so a new one reads
 * them from storage during its Init phase. A local process finds them in the machine's page cache, read there by the
 * previous start. Two ways to take them out of it before a runtime starts:
 *
 * - `'runtime'`: the environment's own files — the Node.js binary, the runtime client's script and the handler's
 *   module file — are dropped from the page cache with `posix_fadvise(POSIX_FADV_DONTNEED)`, through GNU `dd`
 *   (`dd if=FILE iflag=nocache count=0`). Any user who can read the files can do this, and nothing else on the
 *   machine is touched. The function's other files (its dependencies) stay cached.
 * - `'machine'`: `3` is written to `/proc/sys/vm/drop_caches`, which empties the page cache and the dentry and inode
 *   caches of the whole machine (Linux, root).
 *
 * Either way, pages that a running process has mapped stay: the Node.js binary running `local` itself, and the
 * runtime of every environment still alive. See docs/local-lambda.md, "A cold page cache".
 *
 * @module
 */

import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors.js';

/** How `local` empties the page cache before each on-demand Init: see the module comment. */
export type ColdPageCache = 'runtime' | 'machine';

/** The cold-page-cache modes, as `coldPageCache` takes them. */
export const COLD_PAGE_CACHE_MODES: readonly ColdPageCache[] = ['runtime', 'machine'];

/** Linux's control file: writing `3` frees the clean page cache, dentries and inodes. */
export const DROP_CACHES_FILE = '/proc/sys/vm/drop_caches';

/** Takes an environment's files out of the page cache before its runtime starts. */
export interface PageCacheDropper {
  readonly mode: ColdPageCache;
  /** How many times it has dropped. */
  readonly drops: number;
  /**
   * Drops the page cache before a runtime starts: `files` (the runtime's binary, its script, the handler's module)
   * in `'runtime'` mode, the whole machine's in `'machine'` mode. Rejects with the system's error when it fails.
   */
  drop(files: readonly string[]): Promise<void>;
}

/** Where the droppers act; tests replace them. */
export interface PageCacheTargets {
  /** @default {@link DROP_CACHES_FILE} */
  readonly dropCachesFile?: string;
  /** The `dd` that `'runtime'` mode runs. @default 'dd' from PATH */
  readonly dd?: string;
  /** @default process.platform */
  readonly platform?: NodeJS.Platform;
}

/**
 * Checks that `mode` can work here and returns its dropper; throws InvalidInputError naming `options.coldPageCache`
 * otherwise, before anything is started. `'runtime'` needs a `dd` that takes `iflag=nocache` (GNU coreutils; it is
 * tried once on `probeFile`, which drops that file from the cache); `'machine'` needs Linux and write access to
 * `/proc/sys/vm/drop_caches`.
 *
 * @example
 * ```ts
 * const pageCache = openPageCacheDropper('runtime', process.execPath);
 * await pageCache.drop(['/opt/node24/bin/node', './functions/hello.mjs']); // read from storage at their next use
 * ```
 */
export function openPageCacheDropper(mode: ColdPageCache, probeFile: string, targets: PageCacheTargets = {}): PageCacheDropper {
  const platform = targets.platform ?? process.platform;
  if (platform !== 'linux') throw new InvalidInputError('options.coldPageCache', `needs Linux; this is ${platform}`);
  if (mode === 'machine') {
    const file = targets.dropCachesFile ?? DROP_CACHES_FILE;
    try {
      accessSync(file, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'an error';
      throw new InvalidInputError(
        'options.coldPageCache',
        `is 'machine', which writes ${file} (root, with /proc/sys mounted read-write; containers usually mount it read-only), got ${code}; 'runtime' needs no root`,
        { cause: error },
      );
    }
    return counting(mode, () => writeFile(file, '3'));
  }
  const dd = targets.dd ?? 'dd';
  const probe = spawnSync(dd, ddArgs(probeFile), { encoding: 'utf8', timeout: 30_000 });
  if (probe.error !== undefined || probe.status !== 0) {
    const why = probe.error?.message ?? `exit ${String(probe.status)}: ${(probe.stderr ?? '').trim().slice(0, 200)}`;
    throw new InvalidInputError(
      'options.coldPageCache',
      `is 'runtime', which drops files from the page cache with GNU dd (iflag=nocache), and ${dd} ${ddArgs(probeFile).join(' ')} failed (${why})`,
      probe.error === undefined ? {} : { cause: probe.error },
    );
  }
  return counting(mode, async (files) => {
    for (const file of files) await runDd(dd, file);
  });
}

/** A dropper of `mode` that drops with `drop` and counts the drops that succeeded. */
function counting(mode: ColdPageCache, drop: (files: readonly string[]) => Promise<void>): PageCacheDropper {
  let drops = 0;
  return {
    mode,
    get drops() {
      return drops;
    },
    async drop(files) {
      await drop(files);
      drops++;
    },
  };
}

/** `dd`'s arguments that advise the kernel to drop all of `file` from the page cache, copying nothing. */
function ddArgs(file: string): string[] {
  return [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none'];
}

function runDd(dd: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(dd, ddArgs(file), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${dd} ${ddArgs(file).join(' ')} exited with ${String(code)}: ${stderr.trim().slice(0, 200)}`));
    });
  });
}
