/**
 * The demo: power tuning, cold starts and an async diagnosis of two example functions on `lambda-meter/local`,
 * summarised in the terminal and in one HTML report (`npm run demo`, `lambda-meter demo`).
 *
 * @module
 */
export { runDemo, DEMO_MEMORY_SIZES } from './demo.js';
export type { DemoOptions, DemoResult, DemoFunctionResult } from './demo.js';
export { demoFunctionsDirectory } from './functions.js';
