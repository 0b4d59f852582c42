// Plain JS on the real @actions/core, so the harness is checked against the toolkit itself.
const core = require('@actions/core');
if (core.getState('phase') === 'main-done') {
  core.info(`post sees ${core.getState('greeting')}`);
  core.summary
    .addRaw('post line')
    .write()
    .then(() => {});
} else {
  const token = core.getInput('token');
  if (token) core.setSecret(token);
  core.info(`token is ${token}`);
  core.setOutput('greeting', `hello ${core.getInput('who')}`);
  core.setOutput('multi', 'line 1\nline 2');
  core.setOutput('extra', core.getInput('Extra Words'));
  core.saveState('phase', 'main-done');
  core.saveState('greeting', `hello ${core.getInput('who')}`);
  core.exportVariable('FROM_ACTION', 'yes');
  core.warning('careful: 50% done, a:b', { file: 'x.ts', startLine: 3 });
  if (core.getInput('who') === 'stubborn') {
    // Holds on through SIGINT, as a step in the middle of something might; SIGTERM ends it.
    process.on('SIGINT', () => core.info('got SIGINT, carrying on'));
    process.on('SIGTERM', () => {
      core.info('got SIGTERM');
      process.exit(143);
    });
    setInterval(() => {}, 1000);
    core.info('waiting');
  } else {
    core.summary
      .addRaw('| a | b |\n', true)
      .write()
      .then(() => {
        if (core.getInput('who') === 'fail') core.setFailed('asked to fail');
      });
  }
}
