// Figures the test summary prints, counted by the tests themselves as they run (issue 10): how many
// hostile callbacks were tried, how many token requests parallel refreshes made, how many secrets a leak
// check found. A test records what it did right where it did it, so a figure can never be typed in.
// scripts/test.mjs gives every suite the same TEST_FIGURES_FILE and prints the sums after the totals;
// a test run outside it (plain mocha) records nothing.
import { appendFileSync } from 'node:fs';

export interface FigureRecord {
  /** Stable identifier, e.g. 'hostile-callbacks'; records with one id are summed. */
  id: string;
  /** What the number counts, as the summary prints it, e.g. 'hostile callbacks tried, tokens untouched'. */
  label: string;
  amount: number;
}

export function recordFigure(id: string, label: string, amount = 1): void {
  const file = process.env.TEST_FIGURES_FILE;
  if (!file) return;
  const record: FigureRecord = { id, label, amount };
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}
