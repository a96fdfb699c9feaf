// Mocha's spec output for people, plus the run's counts written to a file for the test orchestrator,
// which prints one total across the unit, sandbox, in-host and end-to-end suites.
import { writeFileSync } from 'node:fs';
import Mocha = require('mocha');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.TEST_SUMMARY_FILE;
      if (!file || !this.stats) return;
      const { passes, failures, pending, tests } = this.stats;
      writeFileSync(file, JSON.stringify({ passes, failures, pending, tests }));
    });
  }
}

export = SpecWithSummary;
