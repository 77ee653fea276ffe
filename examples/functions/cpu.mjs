// A CPU-bound function for the demo: a fixed amount of work, `event.rounds` (default 40,000) chained SHA-256 hashes
// of a 1 KB block, about 100 ms on one full vCPU (1,769 MB). Lambda gives a function CPU in proportion to its memory,
// so at 512 MB the same work takes about 1769 / 512 = 3.5 times as long, and costs about the same.
import { createHash } from 'node:crypto';

const block = Buffer.alloc(1024, 7);

export const handler = async (event) => {
  const rounds = event?.rounds ?? 40_000;
  let digest = Buffer.alloc(32);
  for (let i = 0; i < rounds; i++) {
    digest = createHash('sha256').update(digest).update(block).digest();
  }
  return { rounds, digest: digest.toString('hex') };
};
