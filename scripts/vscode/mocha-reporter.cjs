// mocha's spec reporter, plus the run's counts written to $BACKPROP_MOCHA_STATS as JSON, so that
// scripts/test.mjs can add them up without parsing human-readable output.
const fs = require('node:fs');
const {
  reporters: { Spec },
} = require('mocha');

class CountingSpec extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.BACKPROP_MOCHA_STATS;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      fs.writeFileSync(file, JSON.stringify({ passed: passes, failed: failures, pending }) + '\n');
    });
  }
}

module.exports = CountingSpec;
