// Updates test/durations.json (what scripts/jest-sequencer.js orders by) from a jest --json report: the files in the
// report get their new time, files that no longer exist are dropped, the others keep theirs.
// `npx jest <files or nothing> --json --outputFile=/tmp/jest.json; node scripts/test-durations.js /tmp/jest.json`
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const file = join(root, 'test/durations.json');
const report = process.argv[2];
if (!report) {
  console.error('usage: node scripts/test-durations.js <jest --json report>');
  process.exit(2);
}
const known = JSON.parse(readFileSync(file, 'utf8'));
for (const r of JSON.parse(readFileSync(report, 'utf8')).testResults) {
  known[relative(root, r.name).split('\\').join('/')] = Math.round((r.endTime - r.startTime) / 100) / 10;
}
const seconds = Object.entries(known)
  .filter(([path]) => existsSync(join(root, path)))
  .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
writeFileSync(file, `${JSON.stringify(Object.fromEntries(seconds), null, 2)}\n`);
const total = seconds.reduce((sum, [, t]) => sum + t, 0);
console.log(`test/durations.json: ${seconds.length} files, ${total.toFixed(0)} s in all`);
