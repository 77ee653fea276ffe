/**
 * The demo pipeline end to end on lambda-meter/local, with three memory sizes instead of six. Its figures depend on
 * the machine and on its load (local gives each function a share of this machine's CPU), so the assertions are the
 * invariants that hold under any load: every requested size measured, the recommendation on the Pareto frontier and
 * as cheap as the cost strategy guarantees, everything cleaned up, the report written with every chart kind, and the
 * log and the report saying what the result says. Which size wins is never asserted. The report as a reader sees it
 * in headless Chromium is checked by test/e2e/demo.test.ts (`npm run test:e2e`).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoFunctionsDirectory, runDemo } from '../src/demo/index.js';
import { InvalidInputError } from '../src/errors.js';
import { paretoFrontierSizes } from '../src/tune/index.js';

const SIZES = [128, 1024, 1769];
const work = mkdtempSync(path.join(tmpdir(), 'lambda-meter-demo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('runDemo', () => {
  it('finds the example functions next to the sources and in a build layout', () => {
    expect(demoFunctionsDirectory()).toBe(path.resolve('examples', 'functions'));
    expect(demoFunctionsDirectory(path.resolve('src', 'demo'))).toBe(path.resolve('examples', 'functions'));
    // The build: tsup's onSuccess copies them to dist/demo/functions; chunks sit in dist/ or in an entry's folder.
    const dist = path.join(work, 'pkg', 'dist');
    mkdirSync(path.join(dist, 'demo', 'functions'), { recursive: true });
    writeFileSync(path.join(dist, 'demo', 'functions', 'cpu.mjs'), '');
    for (const from of [dist, path.join(dist, 'cli'), path.join(dist, 'demo')]) {
      expect(demoFunctionsDirectory(from)).toBe(path.join(dist, 'demo', 'functions'));
    }
  });

  it('refuses bad options before starting anything', async () => {
    await expect(runDemo({ memorySizes: [512] })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(runDemo({ outFile: '' })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('measures every size, recommends on the frontier within the cost tie band, cleans up, and writes the report and the log', { timeout: 180_000 }, async () => {
    const outFile = path.join(work, 'nested', 'report.html');
    const lines: string[] = [];
    const result = await runDemo({ outFile, memorySizes: SIZES, log: (line) => lines.push(line) });
    const text = lines.join('\n');
    expect(result.functions.map((f) => [f.name, f.kind])).toEqual([
      ['cpu', 'cpu-bound'],
      ['io', 'io-bound'],
    ]);

    for (const f of result.functions) {
      const { tune } = f;
      // Every requested size was measured (adaptive sampling gives each at least minSamples = 5 warm invocations).
      expect(tune.strategy).toBe('cost');
      expect(tune.configurations.map((c) => c.memorySizeMB)).toEqual(SIZES);
      for (const c of tune.configurations) {
        expect(c.failed, `${f.name} ${c.memorySizeMB} MB`).toBe(false);
        expect(c.invocations, `${f.name} ${c.memorySizeMB} MB`).toBeGreaterThan(0);
        expect(c.warmInvocations, `${f.name} ${c.memorySizeMB} MB`).toBeGreaterThanOrEqual(5);
      }
      expect(tune.invocations).toBe(tune.configurations.reduce((sum, c) => sum + c.invocations, 0));

      // The recommendation is on the Pareto frontier of what was measured, and is what the cost strategy guarantees
      // (recommend() with tieTolerance t): within t of the lowest cost, and the fastest of the sizes inside that band;
      // with no other size in the band, the cheapest.
      const points = tune.configurations.map((c) => ({ memorySizeMB: c.memorySizeMB, durationMs: c.objectiveDurationMs, costUSD: c.objectiveCostUSD }));
      expect(tune.paretoFrontier).toEqual(paretoFrontierSizes(points));
      const recommended = tune.recommendation?.memorySizeMB;
      expect(recommended).toBeDefined();
      expect(tune.paretoFrontier).toContain(recommended);
      expect(f.recommendations.cost?.memorySizeMB).toBe(recommended);
      const chosen = points.find((p) => p.memorySizeMB === recommended)!;
      const minCost = Math.min(...points.map((p) => p.costUSD));
      const band = minCost * (1 + tune.tieTolerance);
      // 1e-9: the strategy compares costs with a relative tolerance of 1e-12; nothing here sits that close to an edge.
      expect(chosen.costUSD).toBeLessThanOrEqual(band * (1 + 1e-9));
      for (const p of points.filter((q) => q.costUSD <= band * (1 - 1e-9))) {
        expect(chosen.durationMs, `${f.name}: ${p.memorySizeMB} MB is in the tie band and faster`).toBeLessThanOrEqual(p.durationMs * (1 + 1e-9));
      }
      if (points.every((p) => p === chosen || p.costUSD > band * (1 + 1e-9))) expect(chosen.costUSD).toBe(minCost);

      // "dominated" in the terminal means off the frontier, as in report.html; the sampler's early stop is
      // "(eliminated early)", and a size on the frontier is never printed as dominated.
      const start = lines.findIndex((l) => l.startsWith(`\n${f.name} (${f.kind})`));
      expect(start).toBeGreaterThanOrEqual(0);
      const rows = lines.slice(start + 2, start + 2 + tune.configurations.length); // after the table's header row
      for (const [i, c] of tune.configurations.entries()) {
        const row = rows[i] ?? '';
        expect(row.trim().startsWith(`${c.memorySizeMB} MB`)).toBe(true);
        if (tune.paretoFrontier.includes(c.memorySizeMB)) expect(row, `${f.name} ${c.memorySizeMB} MB`).not.toMatch(/dominated/);
        else expect(row, `${f.name} ${c.memorySizeMB} MB`).toMatch(/\(dominated\)/);
        expect(row.includes('(eliminated early)'), `${f.name} ${c.memorySizeMB} MB`).toBe(c.eliminated);
      }

      // Cleaned up: powerTune lists the function's aliases and versions after deleting its own and throws when any is
      // left or $LATEST is not restored, so returning proves it; one alias and version per size at least.
      expect(tune.cleanup.restored).toBe(true);
      expect(tune.cleanup.deletedAliases.length).toBeGreaterThanOrEqual(SIZES.length);
      expect(tune.cleanup.deletedVersions.length).toBeGreaterThanOrEqual(SIZES.length);
      expect(tune.applied).toBeUndefined();

      // Cold starts at the recommended size: each forced sample starts a new environment (the environment changes).
      expect(f.coldStarts.samples).toHaveLength(3);
      expect(f.coldStarts.cold.count).toBeGreaterThan(0);
      expect(f.coldStarts.cleanup).toEqual({ environmentRestored: true, versionsDeleted: [] });

      // The log's summary and recommendation lines say what the result says.
      expect(text).toContain(`${f.name} (${f.kind}): ${recommended} MB, `);
      expect(text).toContain(`cold start at ${recommended} MB: Init `);
    }

    // The idle probe (io only): environments end after 1,000 ms idle. Local's idle timer and the probe's sleep share
    // one event loop and the timer is due first, so every invocation after the 2,000 ms gap is cold whatever the load;
    // the 200 ms gap is warm unless the process stalls for 800 ms, so its share is not asserted.
    const [cpu, io] = result.functions;
    expect(cpu?.coldStarts.idleProbe).toBeUndefined();
    const probe = io?.coldStarts.idleProbe ?? [];
    expect(probe.map((g) => [g.gapMs, g.invocations, g.unknown])).toEqual([
      [200, 2, 0],
      [2000, 2, 0],
    ]);
    expect(probe[1]?.coldShare).toBe(1);

    // The async scenario: 6 events, each run once without error and none dropped, so the one finding is
    // concurrency-throttling when reserved concurrency 1 throttled any attempt (the usual case) and healthy when the
    // events happened to arrive one after another; never lost or failed events.
    const { diagnosis } = result;
    expect(diagnosis.functionName).toBe('io-async');
    expect(diagnosis.reservedConcurrency).toBe(1);
    expect(diagnosis.totals).toMatchObject({ asyncEventsReceived: 6, invocations: 6, errors: 0, asyncEventsDropped: 0 });
    expect(diagnosis.findings.map((x) => x.code)).toEqual([diagnosis.totals.throttles > 0 ? 'concurrency-throttling' : 'healthy']);
    for (const finding of diagnosis.findings) expect(text).toContain(`async diagnosis of io-async: ${finding.severity} ${finding.code}: `);

    // The report: written where asked, one self-contained page with every chart kind of the pipeline.
    expect(result.outFile).toBe(outFile);
    expect(existsSync(outFile)).toBe(true);
    const html = readFileSync(outFile, 'utf8');
    const charts = [...html.matchAll(/<figure class="chart" data-chart="([a-z-]+)"/g)].map((m) => m[1]);
    expect(new Set(charts)).toEqual(new Set(['bar', 'scatter', 'grouped-bar', 'cdf', 'histogram', 'line']));
    expect(charts.filter((c) => c === 'scatter')).toHaveLength(2);
    expect(charts.filter((c) => c === 'histogram')).toHaveLength(2);
    expect(html.match(/<tr class="highlight"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('lambda-power-tuning.show');
    for (const f of result.functions) {
      const mb = f.tune.recommendation?.memorySizeMB;
      expect(html).toContain(`Power tuning: ${f.name} (cost strategy · ${SIZES.length} memory sizes · ${f.tune.invocations} invocations · recommended ${mb} MB)`);
      expect(html).toContain(`Duration histogram at the recommended ${mb} MB (${f.name})`);
    }
    expect(html).toContain(`(${diagnosis.findings[0]?.code})`);

    expect(text).toMatch(/\nRecommendations\n/);
    expect(result.processesStarted).toBeGreaterThan(0);
    expect(result.processesLeft).toBe(0);
    expect(text).toContain(`wrote ${outFile}; stopped local: ${result.processesStarted} function processes started, 0 left running; `);
  });
});
