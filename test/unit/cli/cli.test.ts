// The `backprop` CLI, run in-process through main() and once as the real bin. Expected numbers
// are the lecture notes' worked problems re-derived by hand (see test/unit/engine/seed-problems).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main';

const root = resolve(__dirname, '../../../..');
const ex = (name: string) => join(root, 'examples', name);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await main(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    isTTY: false,
  });
  return { code, out, err };
}

const tmpDirs: string[] = [];
after(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

function tmpModel(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-cli-'));
  tmpDirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The fields of `backprop trace --format json` these tests read. */
interface TraceJson {
  steps: {
    loss: number;
    layers: { z: number[][]; delta: number[][]; dW: number[][]; W_next: number[][]; b_next: number[] }[];
  }[];
}
const traceJson = (text: string): TraceJson => JSON.parse(text) as TraceJson;

const close = (a: number[][], e: number[][], tol = 1e-9) => {
  assert.equal(a.length, e.length);
  a.forEach((r, i) => r.forEach((x, j) => assert.ok(Math.abs(x - e[i][j]) <= tol, `[${i}][${j}] ${x} vs ${e[i][j]}`)));
};

/** 1-based line of the first line of `file` whose data (not a comment) contains `needle`. */
function lineOf(file: string, needle: RegExp): number {
  const i = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .findIndex((l) => needle.test(l.replace(/#.*$/, '')));
  assert.ok(i >= 0, `${needle} not found in ${file}`);
  return i + 1;
}

describe('backprop trace --format json', () => {
  it('problem 1 matches the worked numbers (contract fields, [example][unit], file convention)', async () => {
    const r = await run('trace', ex('problem1.bp.yaml'), '--format', 'json');
    assert.equal(r.code, 0, 'trace succeeds whenever it traced; its slips go to stderr');
    assert.match(r.err, /error: /);
    const j = traceJson(r.out);
    assert.equal(j.steps.length, 1);
    const s = j.steps[0];
    assert.equal(s.loss, 109);
    const [l1, l2] = s.layers;
    for (const key of ['z', 'a', 'delta', 'dW', 'db', 'W', 'b', 'W_next', 'b_next'])
      assert.ok(key in l1, `layer field ${key}`);
    close(l1.z, [[0, 8, 1]]);
    close(l2.z, [[15, -4]]);
    close(l2.delta, [[13, -7]]);
    close(l1.delta, [[-1, 33, -60]]);
    close(l2.dW, [
      [0, 104, 13],
      [0, -56, -7],
    ]);
    close(
      l2.W_next,
      [
        [1, 0.96, -3.13],
        [2, -0.44, 3.07],
      ],
      1e-12,
    );
    close([l2.b_next], [[1.87, 1.07]], 1e-12);
    close(
      l1.W_next,
      [
        [1.01, -1.99],
        [1.67, 3.67],
        [-2.4, 1.6],
      ],
      1e-12,
    );
    close([l1.b_next], [[1.01, 1.67, 3.6]], 1e-12);
  });
  it('problem 3 (columns layout) still reports z as [example][unit]', async () => {
    const j = traceJson((await run('trace', ex('problem3-batch.bp.yaml'), '--format', 'json')).out);
    close(j.steps[0].layers[2].z, [[37], [-11], [21]]);
    close(j.steps[0].layers[0].z, [
      [5, 4, 3],
      [-1, 1, -3],
      [3, 3, 1],
    ]);
    close(j.steps[0].layers[2].dW, [[(1292 * 2) / 3, (655 * 2) / 3]]);
  });
  it("in_out convention: W, dW, W_next come back in the file's own orientation", async () => {
    const f = tmpModel(
      't.bp.yaml',
      [
        'convention: in_out',
        'input: [1, 1]',
        'target: [2, 3]',
        'layers:',
        '  - W: [[1, 2, -3], [-2, 4, 1]]',
        '    b: [1, 2, 3]',
        '    activation: identity',
        '  - W: [[1, 2], [2, -1], [-3, 3]]',
        '    b: [2, 1]',
        '    activation: identity',
        'loss: half_sse',
        'optimizer: {type: sgd, lr: 0.01}',
        '',
      ].join('\n'),
    );
    const j = traceJson((await run('trace', f, '--format', 'json')).out);
    // Problem 1 transposed: the same numbers, W written n_in × n_out.
    close(
      j.steps[0].layers[1].W_next,
      [
        [1, 2],
        [0.96, -0.44],
        [-3.13, 3.07],
      ],
      1e-12,
    );
    close(j.steps[0].layers[0].dW, [
      [-1, 33, -60],
      [-1, 33, -60],
    ]);
  });
  it('--steps N records N steps, each with its own loss', async () => {
    const j = traceJson((await run('trace', ex('problem1.bp.yaml'), '--format', 'json', '--steps', '3')).out);
    assert.equal(j.steps.length, 3);
    assert.ok(j.steps[1].loss < j.steps[0].loss, 'SGD lowers this loss');
  });
});

describe('backprop trace (text formats)', () => {
  it('table shows the equations with numbers', async () => {
    const r = await run('trace', ex('problem1.bp.yaml'));
    assert.match(r.out, /z² = W² a¹ \+ b² = \[\[1, 2, -3\], \[2, -1, 3\]\] \(0, 8, 1\) \+ \(2, 1\) = \(15, -4\)/);
    assert.match(r.out, /δ¹ = \(W²\)ᵀ δ² ⊙ σ'\(z¹\)/);
  });
  it('markdown and latex are worked solutions', async () => {
    assert.match((await run('trace', ex('problem1.bp.yaml'), '--format', 'markdown')).out, /^# Worked solution/m);
    const tex = (await run('trace', ex('problem1.bp.yaml'), '--format', 'latex')).out;
    assert.match(
      tex,
      /\\begin\{document\}[\s\S]*\\begin\{pmatrix\} 15 \\\\ -4 \\end\{pmatrix\}[\s\S]*\\end\{document\}/,
    );
  });
});

describe('backprop check', () => {
  it("problem 1 exits 1 and lists exactly the notes' slips", async () => {
    const file = ex('problem1.bp.yaml');
    const r = await run('check', file);
    assert.equal(r.code, 1);
    const errors = r.out.split('\n').filter((l) => / error: /.test(l));
    assert.equal(errors.length, 4, errors.join('\n'));
    // W²' row 2 written (2, −0.94, 3.07): one wrong number; b²' written (1.99, 1.01): two; b¹' has two numbers for three units.
    assert.ok(
      errors.some((l) => l.startsWith(`${file}:${lineOf(file, /-0\.94/)}:`) && /-0\.44/.test(l)),
      "W²'[2][2]",
    );
    assert.equal(errors.filter((l) => l.startsWith(`${file}:${lineOf(file, /1\.99, 1\.01/)}:`)).length, 2, "b²' twice");
    assert.ok(
      errors.some((l) => /1\.01, 1\.67, 3\.6/.test(l)),
      "b¹' shape slip names the computed value",
    );
    assert.match(r.out, /gradient check passed/);
  });
  it('problem 3 flags z³ = 39, 1252 and both 169s', async () => {
    const file = ex('problem3-batch.bp.yaml');
    const r = await run('check', file);
    assert.equal(r.code, 1);
    const errors = r.out.split('\n').filter((l) => / error: /.test(l));
    assert.ok(
      errors.some((l) => /\b37\b/.test(l)),
      'z³ first entry',
    );
    assert.ok(
      errors.some((l) => /861\.33/.test(l)),
      'dW³ (2/3)·1292 = 861.33…',
    );
    assert.equal(errors.filter((l) => /111\.33/.test(l)).length, 2, 'dW² (2/3)·167 twice');
  });
  it('problem 2 exits 1 on its worked-line slips', async () => {
    assert.equal((await run('check', ex('problem2-square.bp.yaml'))).code, 1);
  });
  it('a correct model exits 0', async () => {
    const f = tmpModel(
      'ok.bp.yaml',
      'input: [1, 1]\ntarget: [2, 3]\nlayers:\n  - W: [[1, -2], [2, 4], [-3, 1]]\n    b: [1, 2, 3]\n    activation: identity\n  - W: [[1, 2, -3], [2, -1, 3]]\n    b: [2, 1]\n    activation: identity\nloss: half_sse\noptimizer: {type: sgd, lr: 0.01}\nexpect: {loss: 109}\n',
    );
    const r = await run('check', f);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /0 errors/);
  });
  it('a broken model: FILE:LINE:COL: error: …, exit 1, no stack trace', async () => {
    const f = tmpModel(
      'bad.bp.yaml',
      'input: [1, 1]\ntarget: [2, 3]\nlayers:\n  - W: [[1, -2], [2, 4]]\n    b: [1, 2, 3]\n    activation: identity\nloss: half_sse\noptimizer: {type: sgd, lr: 0.01}\n',
    );
    const r = await run('check', f);
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: `, 'm'));
    assert.doesNotMatch(r.out + r.err, /\bat .*\.js:\d+/);
  });
});

describe('backprop usage', () => {
  it('exit 2 on wrong usage, with the usage text', async () => {
    for (const argv of [
      [],
      ['frobnicate', 'x'],
      ['trace'],
      ['trace', ex('problem1.bp.yaml'), '--format', 'pdf'],
      ['trace', ex('problem1.bp.yaml'), '--steps', '0'],
      ['trace', ex('problem1.bp.yaml'), '--bogus'],
      ['check', '/no/such/file.bp.yaml'],
    ]) {
      const r = await run(...argv);
      assert.equal(r.code, 2, `${argv.join(' ')} → ${r.code}`);
      assert.match(r.err, /Usage:/);
    }
  });
  const model = ex('problem1.bp.yaml'); // values are checked once the file has been read
  for (const [argv, message] of [
    [
      ['trace', model, '--only-steps', '1,x'],
      '--only-steps takes step numbers and ranges from 1, like 1,500,1000-1010; "x" is not one',
    ],
    [
      ['trace', model, '--only-steps', '5-3'],
      '--only-steps takes step numbers and ranges from 1, like 1,500,1000-1010; "5-3" is not one',
    ],
    [
      ['trace', model, '--only-steps', '7'],
      '--only-steps names step 7, but the run has 1 step (set --steps to run more)',
    ],
    [['trace', model, '--every', '0'], '--every takes a whole number from 1 to 9007199254740991, got "0"'],
    [['trace', model, '--bogus'], 'unknown option --bogus'],
    [['trace', model, '--steps'], 'option --steps needs a value'],
    [['check', model, '--verbose=1'], 'option --verbose takes no value'],
    [['trace', model, '--digits', '18'], '--digits takes a whole number from 1 to 17, got "18"'],
    [['check', model, '--epsilon', '-1'], '--epsilon takes a number above 0 and below 1, got "-1"'],
    [['check', model, '--steps', '3'], 'check does not take --steps'],
    [['check', model, '--format', 'markdown'], '--format takes one of text, json, got "markdown"'],
    [['trace', model, '--epsilon', '1e-5'], 'trace does not take --epsilon'],
    [['trace', model, '--verbose'], 'trace does not take --verbose'],
  ] as const) {
    it(`${argv.filter((a) => a !== model).join(' ')} → exit 2: ${message}`, async () => {
      const r = await run(...argv);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.ok(r.err.startsWith(`backprop: ${message}\n\nUsage:`), r.err);
    });
  }
  it('-h and --help print the usage on stdout and exit 0', async () => {
    for (const flag of ['-h', '--help']) {
      const r = await run(flag);
      assert.equal(r.code, 0);
      assert.match(r.out, /^Usage:\n {2}backprop trace FILE/);
      assert.equal(r.err, '');
    }
  });
  it('the built bin runs as `backprop` (shebang, exit codes)', () => {
    const bin = join(root, 'dist', 'cli.js');
    assert.match(readFileSync(bin, 'utf8'), /^#!\/usr\/bin\/env node/);
    const out = execFileSync(process.execPath, [bin, 'trace', ex('problem1.bp.yaml'), '--format', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    assert.equal(traceJson(out).steps[0].loss, 109);
    assert.equal(spawnSync(process.execPath, [bin, 'nope']).status, 2);
  });
});

describe('backprop trace: long runs, streamed', () => {
  const bin = join(root, 'dist', 'cli.js');
  const xor = ex('xor.bp.yaml');

  it("--format ndjson: one JSON object per step and line, each equal to the json format's step", async () => {
    const json = JSON.parse((await run('trace', xor, '--format', 'json', '--steps', '40')).out) as { steps: unknown[] };
    const lines = (await run('trace', xor, '--format', 'ndjson', '--steps', '40')).out.split('\n');
    assert.equal(lines.pop(), '', 'every line ends with a newline');
    assert.equal(lines.length, 40);
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as unknown),
      json.steps,
    );
  });

  it('--only-steps and --every print a selection (their union), in every format', async () => {
    const want = [1, 5, 6, 7, 20, 40, 60];
    const argv = ['--steps', '60', '--only-steps', '1,5-7,20', '--every', '20'];
    const json = JSON.parse((await run('trace', xor, '--format', 'json', ...argv)).out) as {
      steps: { step: number }[];
    };
    assert.deepEqual(
      json.steps.map((s) => s.step),
      want,
    );
    const nd = (await run('trace', xor, '--format', 'ndjson', ...argv)).out.trim().split('\n');
    assert.deepEqual(
      nd.map((l) => (JSON.parse(l) as { step: number }).step),
      want,
    );
    const md = (await run('trace', xor, '--format', 'markdown', ...argv)).out;
    assert.deepEqual(
      [...md.matchAll(/^## Step (\d+):/gm)].map((m) => Number(m[1])),
      want,
    );
  });

  it('json streamed step by step is the very text of the whole object written at once', async () => {
    const out = (await run('trace', ex('problem3-batch.bp.yaml'), '--format', 'json', '--steps', '7')).out;
    assert.equal(out, JSON.stringify(JSON.parse(out), null, 2) + '\n');
  });

  it('| head -c 100 on a ten-million-step run: exits at once, quietly (status 0 or 141, nothing on stderr)', () => {
    const r = spawnSync(
      'bash',
      [
        '-o',
        'pipefail',
        '-c',
        `"${process.execPath}" "${bin}" trace "${xor}" --steps 10000000 --format ndjson | head -c 100`,
      ],
      { encoding: 'utf8', timeout: 15_000 },
    );
    assert.ok(r.status === 0 || r.status === 141, `status ${r.status} ${r.signal ?? ''}`);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.length, 100);
    assert.ok(r.stdout.startsWith('{"step":1,'), r.stdout);
  });

  it('> /dev/full: one clear line on stderr, exit 1, no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, 'trace', xor, '--steps', '100000', '--format', 'ndjson'], {
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
        timeout: 15_000,
      });
      assert.equal(r.status, 1);
      assert.equal(r.stderr, 'backprop: cannot write the output: no space left on the device (ENOSPC)\n');
    } finally {
      closeSync(full);
    }
  });
});

describe('backprop check: the gradient check says what it can and cannot tell', () => {
  // Problem 1 with b¹ = (0, 2, 2) and ReLU: z¹ = (0, 8, 0), two units exactly at the kink.
  const RELU_AT_ZERO = [
    'input: [1, 1]',
    'target: [2, 3]',
    'layers:',
    '  - W: [[1, -1], [2, 4], [-3, 1]]',
    '    b: [0, 2, 2]',
    '    activation: relu',
    '  - W: [[1, 2, -3], [2, -1, 3]]',
    '    b: [2, 1]',
    '    activation: identity',
    'loss: half_sse',
    'optimizer: {type: sgd, lr: 0.01}',
    '',
  ].join('\n');
  it('a ReLU with z exactly 0 passes: its 6 parameters are noted as not differentiable there', async () => {
    const f = tmpModel('relu0.bp.yaml', RELU_AT_ZERO);
    const r = await run('check', f);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /gradient check passed: 17 parameters, 6 not differentiable there \(at a kink: not compared\)/);
    const notes = (await run('check', f, '--verbose')).out
      .split('\n')
      .filter((l) => / note: gradient check of/.test(l));
    assert.equal(notes.length, 6, notes.join('\n'));
    assert.ok(
      notes[0].startsWith(
        `${f}:4:10: note: gradient check of ∂L/∂W¹[1][1]: not differentiable here (z¹[1] = 0: relu's kink)`,
      ),
      notes[0],
    );
  });
  it('--epsilon 1e-12 is refused for problem 1, with the reason (exit 2, no usage text)', async () => {
    const r = await run('check', ex('problem1.bp.yaml'), '--epsilon', '1e-12');
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(
      r.err,
      /^backprop: --epsilon 1e-12 cannot work here: ε = 1e-12 is too small for this model: float64 round-off/,
    );
    assert.doesNotMatch(r.err, /Usage:/);
  });
  it("a file's gradcheck.epsilon that cannot work is an error at that number", async () => {
    const f = tmpModel('eps.bp.yaml', RELU_AT_ZERO + 'gradcheck: {epsilon: 1e-13}\n');
    const r = await run('check', f);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      new RegExp(
        `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:12:22: error: ε = 1e-13 is too small for this model`,
        'm',
      ),
    );
    assert.match(r.out, /gradient check not run: ε = 1e-13 cannot work for this model \(see above\)/);
  });
  it('after the first NaN, one error, not one per parameter', async () => {
    // z¹ = 1e200 · 1e200 overflows to ∞ at step 1.
    const f = tmpModel(
      'nan.bp.yaml',
      'input: [1e200]\ntarget: [0]\nlayers:\n  - W: [[1e200]]\n    b: [0]\n    activation: identity\nloss: mse\noptimizer: {type: sgd, lr: 0.01}\n',
    );
    const r = await run('check', f);
    assert.equal(r.code, 1);
    const errors = r.out.split('\n').filter((l) => / error: /.test(l));
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(r.out, /the gradient check did not run: the loss is ∞ at the file's weights/);
  });
});

describe('backprop check --format json', () => {
  it("prints problem 1's findings as one JSON object (1-based places, the fix), exit 1", async () => {
    const file = ex('problem1.bp.yaml');
    const r = await run('check', file, '--format', 'json');
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out) as {
      file: string;
      errors: number;
      diagnostics: {
        line: number;
        column: number;
        severity: string;
        code: string;
        message: string;
        replacement?: string;
      }[];
      expectations: { right: number; wrong: number };
      gradientCheck: { ok: boolean; checked: number; epsilon: number };
      loss: { value: number; step: number };
    };
    assert.equal(j.file, file);
    assert.equal(j.errors, 4);
    assert.deepEqual(j.expectations, { right: 44, wrong: 4 });
    assert.equal(j.gradientCheck.ok, true);
    assert.equal(j.gradientCheck.checked, 17);
    assert.deepEqual(j.loss, { value: 109, step: 1 });
    const w = j.diagnostics.find((d) => /W²'\[2\]\[2\]/.test(d.message))!;
    assert.equal(w.line, lineOf(file, /-0\.94/));
    assert.equal(w.severity, 'error');
    assert.equal(w.replacement, '-0.44');
    assert.equal(r.err, '');
  });
});

describe('backprop: files that are not model files, and the version', () => {
  it('a file over the size limit: exit 1 with a diagnostic, not exit 2 with the usage', async () => {
    const f = tmpModel('huge.bp.yaml', '');
    truncateSync(f, 64 * 1024 * 1024 + 1); // sparse: no 64 MB written
    for (const command of ['check', 'trace']) {
      const r = await run(command, f);
      assert.equal(r.code, 1, command);
      assert.match(
        r.out + r.err,
        new RegExp(
          `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1: error: The file is 67108865 bytes, above the limit of 67108864 \\(limits\\.maxBytes\\); it was not read$`,
          'm',
        ),
      );
      assert.doesNotMatch(r.out + r.err, /Usage:/);
    }
  });
  it('a UTF-16 file is told to be saved as UTF-8', async () => {
    const text = readFileSync(ex('xor.bp.yaml'), 'utf8');
    const f = tmpModel('u16.bp.yaml', '');
    writeFileSync(f, Uint8Array.from([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]));
    const r = await run('check', f);
    assert.equal(r.code, 1);
    assert.match(r.out, /:1:1: error: This file is UTF-16 \(a NUL byte after every character\): save it as UTF-8/);
    assert.equal(r.out.split('\n').filter((l) => / error: /.test(l)).length, 1);
  });
  it('a binary file gets one short line, not its bytes', async () => {
    const f = tmpModel('bin.bp.yaml', '');
    writeFileSync(
      f,
      Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256),
    );
    const r = await run('check', f);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 2, r.out);
    assert.match(
      lines[0],
      /error: This is not a text file: it holds binary data \(byte 0x\w\w here\); a model file is YAML or JSON text$/,
    );
    assert.ok(r.out.length < 400, `${r.out.length} characters`);
  });
  it('two YAML documents: one model per file', async () => {
    const f = tmpModel('two.bp.yaml', readFileSync(ex('problem1.bp.yaml'), 'utf8') + '---\nname: another\n');
    const r = await run('check', f);
    assert.equal(r.code, 1);
    assert.match(r.out, /error: A second YAML document starts here: one model per file/);
  });
  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal((await run('--version')).out, `backprop ${version}\n`);
    const bin = join(root, 'dist', 'cli.js');
    assert.equal(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }), `backprop ${version}\n`);
  });
});
