import { parenthetical } from '../src/report/parenthetical';

describe('parenthetical', () => {
  it.each([
    [
      'ECS refused ecs:UpdateService (ClientException: x). Check the inputs that name things in it.',
      '(ECS refused ecs:UpdateService (ClientException: x). Check the inputs that name things in it)',
    ],
    ['timed out', '(timed out)'],
    ['  stopped.  ', '(stopped)'],
    ['wait...', '(wait)'],
    ['', '(no reason given)'],
    ['.', '(no reason given)'],
  ])('%j -> %s', (reason, expected) => {
    expect(parenthetical(reason)).toBe(expected);
  });

  it('a sentence that goes on after it has one full stop', () => {
    expect(`web failed ${parenthetical('it exited.')}.`).toBe('web failed (it exited).');
  });
});
