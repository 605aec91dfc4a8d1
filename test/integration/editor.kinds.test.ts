/**
 * Layer kinds in the real extension host (issue 9): a convolution whose kernels take other
 * channels than arrive is a diagnostic at its W, a dense layer fed images at its head, and a
 * hover over a kernel entry answers. Expected texts are the shape arithmetic written out:
 * 1×4×4 through two 2×2 filters is 2×3×3, so layer 2 receives 2 channels.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { fixtureUri, readText, waitForDiagnostics } from './helpers';
import { closeWithoutSaving, hoverText, openModel, positionOf, rangeOf } from './editorHelpers';

const at = (r: vscode.Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

describe('editor: layer kinds', () => {
  afterEach(closeWithoutSaving);

  it('a conv shape error is a diagnostic at that layer’s W, with what arrives and what it needs', async () => {
    const { document: doc } = await openModel('conv-shape.bp.yaml');
    const diags = await waitForDiagnostics(doc.uri);
    const W2 = rangeOf(doc, '[[[[1, 1], [1, 1]], [[1, 1], [1, 1]], [[1, 1], [1, 1]]]]');
    assert.deepEqual(
      diags.map((d) => `${at(d.range)} ${d.message}`),
      [`${at(W2)} W² is 1×3×2×2 (out×in×kh×kw) but 2 channels arrive from layer 1 (2×3×3): it needs 1×2×2×2`],
    );
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diags[0].source, 'backprop');
  });

  it('a dense layer fed images is an error at its head; with flatten before it the file runs', async () => {
    const fixture = await readText(fixtureUri('workspace/conv-shape.bp.yaml'));
    const text = fixture
      .replace('[[[[1, 1], [1, 1]], [[1, 1], [1, 1]], [[1, 1], [1, 1]]]]', '[[[[1, 1], [1, 1]], [[1, 1], [1, 1]]]]')
      .replace('  - type: flatten\n', '');
    const { document: doc } = await openModel('no-flatten.bp.yaml', text);
    const diags = await waitForDiagnostics(doc.uri);
    const head = rangeOf(doc, '- units: 1');
    assert.equal(diags.length, 1, diags.map((d) => d.message).join('\n'));
    assert.equal(diags[0].range.start.line, head.start.line);
    assert.match(diags[0].message, /Layer 3 \(dense\) takes a vector of units, but 1×2×2 images arrive from layer 2/);
  });

  it('a hover over a kernel entry names it by its four indices and gives its gradient and update', async () => {
    const fixture = await readText(fixtureUri('workspace/conv-shape.bp.yaml'));
    const text = fixture.replace(
      '[[[[1, 1], [1, 1]], [[1, 1], [1, 1]], [[1, 1], [1, 1]]]]',
      '[[[[1, 1], [1, 1]], [[1, 1], [1, 1]]]]',
    );
    const { document: doc } = await openModel('conv.bp.yaml', text);
    await waitForDiagnostics(doc.uri, (d) => d.length === 0);
    // W¹[1][1][2][2] is the −1 of the first kernel.
    const hover = await hoverText(doc, positionOf(doc, '-1]]]'));
    assert.match(hover, /W¹\[1\]\[1\]\[2\]\[2\]/);
    assert.match(hover, /kernel 1 on input channel 1 of 1, row 2, column 2/);
    assert.match(hover, /w′ = w − α · ∂L\/∂w/);
  });
});
