// Longest test files first, so that jest's workers finish together. Jest does this by itself from its cache of the
// last run's durations; a fresh clone (CI) has no cache and jest falls back to file size, which puts a 4-line file
// that imports a 3-minute one last. test/durations.json (seconds per file, from a whole run:
// `node scripts/test-durations.js <jest --json report>`) stands in for the cache where it has no entry. Files in
// neither run first, as jest runs files it has no time for: a new file may be a slow one.
const { readFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const root = join(__dirname, '..');
const known = JSON.parse(readFileSync(join(root, 'test/durations.json'), 'utf8'));

class LongestFirst extends Sequencer {
  time(test) {
    const cached = super.time(test);
    if (cached !== undefined) return cached;
    const seconds = known[relative(root, test.path).split('\\').join('/')];
    return seconds === undefined ? undefined : seconds * 1000;
  }
}

module.exports = LongestFirst;
