import assert from 'node:assert/strict';
import {
  activationHover,
  biasHover,
  expectHover,
  layerHover,
  lossHover,
  matrixHover,
  weightHover,
} from '../../../src/extension/editor/hoverContent';
import { DEFAULT_NUMBER_FORMAT } from '../../../src/extension/editor/markdown';
import { PROBLEM1, PROBLEM1_IN_OUT, run } from './fixtures';

describe('editor: hover content', () => {
  const p = run(PROBLEM1);
  const ctx = { model: p.model, trace: p.trace, step: 1, format: DEFAULT_NUMBER_FORMAT };

  it('W²[1][2]: ∂L/∂w = δ²[1] · a¹[2] = 13 · 8 = 104, w′ = 2 − 0.01 · 104 = 0.96', () => {
    // By hand: a¹ = W¹x + b¹ = (0, 8, 1); a² = (15, −4); δ² = a² − t = (13, −7).
    const md = weightHover(ctx, 2, 0, 1);
    assert.match(md, /\*\*W²\[1\]\[2\]\*\* = 2/);
    assert.match(md, /∂L\/∂w = δ²\[1\] · a¹\[2\] \| 13 · 8 \| \*\*104\*\* \|/);
    assert.match(md, /w′ = w − α · ∂L\/∂w \| 2 − 0\.01 · 104 \| \*\*0\.96\*\* \|/);
  });

  it('a negative operand is parenthesised: W¹[1][1] = 1, ∂L/∂w = δ¹[1] · x[1] = −1 · 1', () => {
    const md = weightHover(ctx, 1, 0, 0);
    assert.match(md, /δ¹\[1\] · x\[1\] \| -1 · 1 \| \*\*-1\*\* \|/);
    assert.match(md, /1 − 0\.01 · \(-1\) \| \*\*1\.01\*\* \|/);
  });

  it('in_out labels the weight as the file writes it', () => {
    const q = run(PROBLEM1_IN_OUT);
    const md = weightHover({ ...ctx, model: q.model, trace: q.trace }, 2, 0, 1);
    assert.match(md, /\*\*W²\[2\]\[1\]\*\* = 2 · weight from a¹\[2\] to z²\[1\]/);
    assert.match(md, /\| \*\*104\*\* \|/);
  });

  it('b²[1]: ∂L/∂b = δ²[1] = 13, b′ = 2 − 0.01 · 13 = 1.87', () => {
    const md = biasHover(ctx, 2, 0);
    assert.match(md, /∂L\/∂b = δ²\[1\] \| {2}\| \*\*13\*\* \|/);
    assert.match(md, /b′ = b − α · ∂L\/∂b \| 2 − 0\.01 · 13 \| \*\*1\.87\*\* \|/);
  });

  it('W² key: the gradient [[0, 104, 13], [0, −56, −7]] and W²′ with 0.96 and −0.44', () => {
    const md = matrixHover(ctx, 2, 'W');
    assert.match(md, /\| \*\*1\*\* \| 0 \| 104 \| 13 \|/);
    assert.match(md, /\| \*\*2\*\* \| 0 \| -56 \| -7 \|/);
    assert.match(md, /\| \*\*1\*\* \| 1 \| 0\.96 \| -3\.13 \|/);
    assert.match(md, /\| \*\*2\*\* \| 2 \| -0\.44 \| 3\.07 \|/);
  });

  it('layer 1: z¹ = (0, 8, 1), δ¹ = (−1, 33, −60) per unit', () => {
    const md = layerHover(ctx, 1);
    assert.match(md, /2 → 3 · `identity` · 9 parameters/);
    assert.match(md, /\| 2 \| 8 \| 8 \| 33 \|/);
    assert.match(md, /\| 3 \| 1 \| 1 \| -60 \|/);
  });

  it('activation and loss: formulas and values (L = ½(13² + 7²) = 109)', () => {
    assert.match(activationHover(ctx, 1), /σ′\(z¹\)/);
    const md = lossHover(ctx);
    assert.match(md, /L = \*\*109\*\*/);
    assert.match(md, /\| 1 \| 15 \| 2 \| 13 \|/);
  });

  it('an expect value: expected −0.94 vs computed −0.44, and a match', () => {
    const r = p.analysis.expectations.find((x) => x.expectation.key === 'W_next')!;
    const wrong = expectHover(r, 1, 1, DEFAULT_NUMBER_FORMAT);
    assert.match(wrong, /expected \(yours\) \| -0\.94/);
    assert.match(wrong, /computed \| \*\*-0\.44\*\*/);
    assert.match(wrong, /✗ does not match/);
    assert.match(expectHover(r, 0, 1, DEFAULT_NUMBER_FORMAT), /✓ matches/);
  });

  it('an expect value written as arithmetic is shown as written, the computed value in the same form', () => {
    // W²'[1][2] = 2 − 0.01 · 104 = 0.96; written here with a slip, 2 − 0.01·(106).
    const q = run(PROBLEM1.replace('W_next: [[1, 0.96, -3.13]', 'W_next: [[1, 2 - 0.01*106, -3.13]'));
    const r = q.analysis.expectations.find((x) => x.expectation.key === 'W_next')!;
    const hover = expectHover(r, 0, 1, DEFAULT_NUMBER_FORMAT);
    assert.match(hover, /expected \(yours\) \| 2 - 0\.01·106 = 0\.94 \|/);
    assert.match(hover, /computed \| \*\*0\.96\*\* \|/, 'a sum has no number to keep the form of');
    const p3 = run(PROBLEM1.replace('W_next: [[1, 0.96, -3.13]', 'W_next: [[1, 0.96, (1/100)*-313]'));
    const ok = expectHover(
      p3.analysis.expectations.find((x) => x.expectation.key === 'W_next')!,
      0,
      2,
      DEFAULT_NUMBER_FORMAT,
    );
    assert.match(ok, /expected \(yours\) \| \(1\/100\)·-313 = -3\.13 \|/);
    assert.match(ok, /✓ matches/);
  });

  it('for a batch the product is listed per example with its sum', () => {
    const batch = run(
      PROBLEM1.replace('input: [1, 1]', 'input: [[1, 1], [1, 0]]')
        .replace('target: [2, 3]', 'target: [[2, 3], [0, 0]]')
        .replace(/ {4}expect:\n.*\n/, ''),
    );
    const md = weightHover({ ...ctx, model: batch.model, trace: batch.trace }, 2, 0, 1);
    assert.match(md, /Per example \(2\)/);
    assert.match(md, /\| \*\*Σ\*\* \|/);
  });

  it('the numberFormat setting: fixed and scientific', () => {
    assert.match(
      weightHover({ ...ctx, format: { digits: 2, style: 'fixed' } }, 2, 0, 1),
      /13\.00 · 8\.00 \| \*\*104\.00\*\*/,
    );
    assert.match(
      weightHover({ ...ctx, format: { digits: 3, style: 'scientific' } }, 2, 0, 1),
      /1\.3e1 · 8e0 \| \*\*1\.04e2\*\*/,
    );
  });
});
