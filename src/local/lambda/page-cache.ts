/**
 * A cold page cache for each on-demand Init (`LambdaServiceOptions.coldPageCache`).
 *
 * Lambda starts a new execution environment in a new Firecracker microVM, whose kernel has read nothing yet: the
 * runtime's binary, its libraries and the function's code all come from storage during the Init phase. A local
 * process finds them in the machine's page cache, read there by the previous start. Writing `3` to
 * `/proc/sys/vm/drop_caches` empties the page cache and the dentry and inode caches of the whole machine (Linux,
 * root), so the next runtime start reads its files as a microVM's first start does.
 *
 * Pages that a running process has mapped stay: the Node.js binary running `local` itself, and the runtime of every
 * environment still alive. See docs/local-lambda.md, "A cold page cache".
 *
 * @module
 */

import { accessSync, constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors.js';

/** Linux's control file: writing `3` frees the clean page cache, dentries and inodes. */
export const DROP_CACHES_FILE = '/proc/sys/vm/drop_caches';

/** Empties the machine's file caches before a runtime starts. */
export interface PageCacheDropper {
  /** The control file it writes to. */
  readonly file: string;
  /** How many times the caches were dropped. */
  readonly drops: number;
  /** Writes `3` to the control file. Rejects with the system's error when the write fails. */
  drop(): Promise<void>;
}

/**
 * Checks that `file` can be written (on Linux, as root, with a writable `/proc/sys`) and returns a dropper for it.
 * Throws InvalidInputError naming `options.coldPageCache` otherwise, before anything is started.
 *
 * @example
 * ```ts
 * const pageCache = openPageCacheDropper();
 * await pageCache.drop(); // the next process start reads its files from storage
 * ```
 */
export function openPageCacheDropper(file: string = DROP_CACHES_FILE, platform: NodeJS.Platform = process.platform): PageCacheDropper {
  if (platform !== 'linux') {
    throw new InvalidInputError('options.coldPageCache', `needs Linux (${DROP_CACHES_FILE}); this is ${platform}`);
  }
  try {
    accessSync(file, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new InvalidInputError(
      'options.coldPageCache',
      `needs to write ${file} (root, with /proc/sys mounted read-write; containers usually mount it read-only), got ${code}`,
      { cause: error },
    );
  }
  let drops = 0;
  return {
    file,
    get drops() {
      return drops;
    },
    async drop() {
      await writeFile(file, '3');
      drops++;
    },
  };
}
