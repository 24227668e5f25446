// Option values are checked before a command runs: a bad one is refused with the option named.
import { runCli } from '../../src/cli/main';

async function cli(...argv: string[]) {
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
  });
  return { code, stderr: stderr.trim() };
}

test.each([
  [
    '-3',
    `error: option '--limit <n>' argument '-3' is invalid. expected a whole number from 1 to 10000, got "-3".`,
  ],
  [
    'abc',
    `error: option '--limit <n>' argument 'abc' is invalid. expected a whole number from 1 to 10000, got "abc".`,
  ],
  [
    '2.5',
    `error: option '--limit <n>' argument '2.5' is invalid. expected a whole number from 1 to 10000, got "2.5".`,
  ],
  [
    '0',
    `error: option '--limit <n>' argument '0' is invalid. expected a whole number from 1 to 10000, got "0".`,
  ],
])('jobs list --limit %s is refused', async (value, message) => {
  expect(await cli('jobs', 'list', '--limit', value)).toEqual({ code: 1, stderr: message });
});

test('jobs list --outcome bogus is refused, listing the outcomes', async () => {
  expect(await cli('jobs', 'list', '--outcome', 'bogus')).toEqual({
    code: 1,
    stderr: `error: option '--outcome <event>' argument 'bogus' is invalid. Allowed choices are completed, completed_with_errors, failed, already_finished.`,
  });
});
