// Prints one line totalling the unit and end-to-end results of the last `npm test`, from the
// JSON reports vitest and Playwright write under test-results/.
import { readFileSync } from 'node:fs';

const read = (path) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
};

const unit = read('test-results/vitest.json');
const e2e = read('test-results/playwright.json');
if (!unit || !e2e) {
  console.error('test summary: missing report', { vitest: !!unit, playwright: !!e2e });
  process.exit(1);
}
const passed = unit.numPassedTests + e2e.stats.expected + e2e.stats.flaky;
const failed = unit.numFailedTests + e2e.stats.unexpected;
const skipped = unit.numPendingTests + unit.numTodoTests + e2e.stats.skipped;
console.log(`unit: ${unit.numPassedTests} passed, ${unit.numFailedTests} failed`);
console.log(`e2e: ${e2e.stats.expected} passed, ${e2e.stats.unexpected} failed`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
