// Prints the closing line CI reads ("N passed, N failed") and writes the same counts to
// test-results/summary.json, both derived from jest's own aggregated results.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suites: results.numTotalTestSuites,
      skippedTests: results.testResults.flatMap((suite) =>
        suite.testResults.filter((t) => t.status === 'pending' || t.status === 'todo').map((t) => t.fullName),
      ),
    };
    const dir = path.resolve(__dirname, '..', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
    process.stdout.write(`\n${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
  }
}

module.exports = SummaryReporter;
