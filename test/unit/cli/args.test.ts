// The command-line parser: the accepted forms, and every kind of wrong usage as a UsageError
// with a message that names the option (main turns it into exit 2 with the usage text: cli.test.ts).
import assert from 'node:assert/strict';
import { choiceOption, intOption, numberOption, parseArgs, UsageError } from '../../../src/cli/args';

const OPTIONS = {
  steps: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usageError(f: () => unknown, message: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof UsageError && message.test(e.message));
}

describe('cli arguments', () => {
  it('splits command, positionals and options in any order', () => {
    const a = parseArgs(['--verbose', 'trace', 'f.bp.yaml', '--steps', '3'], OPTIONS);
    assert.equal(a.command, 'trace');
    assert.deepEqual(a.positional, ['f.bp.yaml']);
    assert.deepEqual({ ...a.values }, { verbose: true, steps: '3' });
  });
  it('takes --name=value, a short alias, and a value that starts with a dash', () => {
    assert.equal(parseArgs(['--steps=7'], OPTIONS).values.steps, '7');
    assert.equal(parseArgs(['-h'], OPTIONS).values.help, true);
    assert.equal(parseArgs(['--steps', '-1'], OPTIONS).values.steps, '-1');
  });
  it('treats everything after -- (and a lone -) as positionals', () => {
    const a = parseArgs(['check', '--', '--verbose', '-'], OPTIONS);
    assert.deepEqual(a.positional, ['--verbose', '-']);
    assert.equal(a.values.verbose, undefined);
  });
  it('rejects unknown options, long and short', () => {
    usageError(() => parseArgs(['--bogus'], OPTIONS), /^unknown option --bogus$/);
    usageError(() => parseArgs(['--bogus=1'], OPTIONS), /^unknown option --bogus$/);
    usageError(() => parseArgs(['-x'], OPTIONS), /^unknown option -x$/);
    usageError(() => parseArgs(['--toString'], OPTIONS), /^unknown option --toString$/);
  });
  it('rejects a missing value and a value given to a switch', () => {
    usageError(() => parseArgs(['trace', '--steps'], OPTIONS), /^option --steps needs a value$/);
    usageError(() => parseArgs(['--verbose=yes'], OPTIONS), /^option --verbose takes no value$/);
  });
  it('checks values against their ranges and choices', () => {
    assert.equal(intOption('steps', '12', 1, 100), 12);
    assert.equal(intOption('steps', undefined, 1, 100), undefined);
    usageError(() => intOption('steps', '0', 1, 100), /--steps takes a whole number from 1 to 100, got "0"/);
    usageError(() => intOption('steps', '2.5', 1, 100), /whole number/);
    usageError(() => intOption('steps', '', 1, 100), /whole number/);
    assert.equal(numberOption('epsilon', '1e-6', 1e-12, 1), 1e-6);
    usageError(() => numberOption('epsilon', 'NaN', 1e-12, 1), /--epsilon takes a number/);
    usageError(() => numberOption('epsilon', '-1', 1e-12, 1), /--epsilon takes a number/);
    assert.equal(choiceOption('format', 'json', ['table', 'json'], 'table'), 'json');
    assert.equal(choiceOption('format', undefined, ['table', 'json'], 'table'), 'table');
    usageError(
      () => choiceOption('format', 'pdf', ['table', 'json'], 'table'),
      /--format takes one of table, json, got "pdf"/,
    );
  });
});
