// Mocha's spec reporter, plus a last line CI reads: "N passed, M failed".
'use strict';
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  epilogue() {
    super.epilogue();
    const { passes, failures, pending } = this.stats;
    if (pending > 0) process.stdout.write(`${pending} skipped\n`);
    process.stdout.write(`${passes} passed, ${failures} failed\n`);
  }
}
module.exports = SummaryReporter;
