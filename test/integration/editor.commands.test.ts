/**
 * Each palette command's effect on real model files. Numbers by hand for problem 1 (see
 * editor.hovers.test.ts): L = 109 at step 1, ∂L/∂W²[1][2] = 104, W²′[1][2] = 0.96,
 * W²′[2][2] = −1 − 0.01 · (−56) (one ulp from −0.44, written back as the -0.44 a person expects).
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Platform } from '../../src/extension/platform/platform';
import { extension, fileName, modelFilesIn, readText, waitFor, waitForDiagnostics } from './helpers';
import { pdflatexProblems } from '../unit/report/pdflatex';
import { analysed, closeWithoutSaving, deps, hoverText, openModel, positionOf, withSetting } from './editorHelpers';
import { HOST, onlyIn } from './host';

interface ApplyResult {
  readonly applied: boolean;
  readonly edits: number;
  readonly afterStep: number;
  readonly skipped: readonly string[];
}
interface TrainResult {
  readonly steps: number;
  readonly losses: readonly number[];
}

/** The extension's examples/ folder (New Model File's templates). */
const examples = () => vscode.Uri.joinPath(extension().extensionUri, 'examples');

/** Runs `fn` and returns its result with the description of each worker the extension started meanwhile. */
async function watchingWorkers<T>(fn: () => PromiseLike<T>): Promise<{ result: T; workers: string[] }> {
  const platform = (await deps()).platform as { startWorker: Platform['startWorker'] };
  const start = platform.startWorker;
  const workers: string[] = [];
  platform.startWorker = () => {
    const port = start();
    workers.push(port.description);
    return port;
  };
  try {
    return { result: await fn(), workers };
  } finally {
    platform.startWorker = start;
  }
}

/** Train N Steps above the worker threshold: the worker's losses equal the in-process run's, and every view gets them. */
async function trainInWorker(kind: RegExp): Promise<void> {
  const { document: doc } = await openModel('problem1.bp.yaml');
  const { result: inWorker, workers } = await watchingWorkers(() =>
    withSetting('worker.threshold', 0, () =>
      vscode.commands.executeCommand<TrainResult>('backprop.train', doc.uri, 40),
    ),
  );
  assert.ok(workers.length > 0, 'no worker was started');
  for (const w of workers) assert.match(w, kind);
  assert.equal(inWorker?.steps, 40);
  const here = await vscode.commands.executeCommand<TrainResult>('backprop.train', doc.uri, 40);
  assert.deepEqual(inWorker.losses, here?.losses);
  // The worker's result feeds every view, e.g. hovers (their step count).
  await withSetting('worker.threshold', 0, async () => {
    await vscode.commands.executeCommand<TrainResult>('backprop.train', doc.uri, 7);
    assert.match(await hoverText(doc, positionOf(doc, '  - W: [[1, 2, -3]', 12)), /step 1 of 7/);
  });
}

describe('editor: commands', () => {
  afterEach(closeWithoutSaving);

  it('Apply Updated Weights rewrites only the numbers, as one edit that Undo reverts byte for byte', async () => {
    const editor = await openModel('problem1.bp.yaml');
    const doc = editor.document;
    await analysed(doc);
    const before = doc.getText();
    const r = await vscode.commands.executeCommand<ApplyResult>('backprop.applyUpdatedWeights', doc.uri);
    assert.ok(r?.applied);
    // W¹ (6) and b¹ (3) all change; in W² the first column has zero gradient (a¹[1] = 0): 4 change; b² 2.
    assert.equal(r.edits, 15);
    const after = doc.getText();
    assert.match(
      after,
      /\n {2}- W: \[\[1\.01, -1\.99\], \[1\.67, 3\.67\], \[-2\.4, 1\.6\]\]\n {4}b: \[1\.01, 1\.67, 3\.6\]\n/,
    );
    assert.ok(after.includes(`\n  - W: [[1, 0.96, -3.13], [2, -0.44, 3.07]]\n    b: [1.87, 1.07]\n`), after);
    // Everything else — comments, expect blocks, spacing — is untouched.
    const strip = (t: string) =>
      t
        .split('\n')
        .filter((l) => !/^ {2}- W:|^ {4}b:/.test(l))
        .join('\n');
    assert.equal(strip(after), strip(before));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), before);
    assert.equal(doc.isDirty, false);
  });

  it('Show Trace as JSON opens the trace in a JSON editor', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const json = await vscode.commands.executeCommand<vscode.TextDocument>('backprop.showTraceJson', doc.uri);
    assert.ok(json);
    assert.equal(json.languageId, 'json');
    assert.equal(json.uri.scheme, 'untitled');
    // Named after the model, next to it, so the tab says what it is and Save offers that name.
    assert.equal(json.uri.path, doc.uri.path.replace(/\.bp\.yaml$/, '.trace.json'));
    const t = JSON.parse(json.getText());
    assert.equal(t.steps[0].loss, 109);
    assert.equal(t.steps[0].layers[1].dW[0][1], 104);
    assert.equal(t.steps[0].layers[1].W_next[0][1], 0.96);
    assert.equal(t.steps[0].layers[1].W_next[1][1], -1 - 0.01 * -56);
  });

  it('Export Worked Solution: Markdown with the wrong values remarked, or LaTeX', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const md = await vscode.commands.executeCommand<vscode.TextDocument>(
      'backprop.exportWorkedSolution',
      doc.uri,
      'markdown',
    );
    assert.ok(md);
    assert.equal(md.languageId, 'markdown');
    assert.match(md.getText(), /^# Worked solution: worked problem 1\n/);
    assert.match(md.getText(), /> ✗ expected W²'\[2\]\[2\] = -0\.94, computed -0\.44/);
    const tex = await vscode.commands.executeCommand<vscode.TextDocument>(
      'backprop.exportWorkedSolution',
      doc.uri,
      'latex',
    );
    assert.ok(tex);
    assert.equal(tex.languageId, 'latex');
    assert.equal(fileName(tex.uri), 'problem1.worked.tex');
    assert.match(tex.getText(), /^\\documentclass\{article\}/);
    assert.match(tex.getText(), /\\end\{document\}\n$/);
    // It compiles, the notes' slips remarked in it (σ, δ, ², ′ spelt in LaTeX).
    assert.match(tex.getText(), /\\textbf\{Check:\} expected W\\ensuremath\{\^\{2\}\}'\[2\]\[2\] = -0\.94/);
    // pdflatex is a Node tool: the web worker host's export is the same text.
    if (HOST === 'node') assert.deepEqual(pdflatexProblems(tex.getText()), []);
  });

  it('Export Worked Solution (Markdown) opens its preview once, beside the model, also with the trace panel open', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    await vscode.commands.executeCommand('backprop.openPanel', doc.uri);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => ({ t, g })));
    const previews = () =>
      tabs().filter(({ t }) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType));
    const modelGroup = () =>
      tabs().find(({ t }) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString())
        ?.g;
    const md = await vscode.commands.executeCommand<vscode.TextDocument>(
      'backprop.exportWorkedSolution',
      doc.uri,
      'markdown',
    );
    const shown = await waitFor(() => (previews().length ? previews() : undefined), { message: 'a Markdown preview' });
    assert.equal(shown.length, 1, `previews: ${shown.map((p) => p.t.label).join(', ')}`);
    assert.match(shown[0].t.label, /problem1\.worked\.md/);
    assert.notEqual(shown[0].g.viewColumn, modelGroup()?.viewColumn, 'beside the model, not over it');
    assert.ok(shown[0].t.isActive, 'in front');
    // The report itself is open once (in the preview's group), never in the model's.
    const texts = tabs().filter(
      ({ t }) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === md.uri.toString(),
    );
    assert.equal(texts.length, 1);
    assert.equal(texts[0].g, shown[0].g);
  });

  it('Check Gradients: analytic vs central difference for all 17 parameters', async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const report = await vscode.commands.executeCommand<vscode.TextDocument>('backprop.checkGradients', doc.uri);
    assert.ok(report);
    assert.equal(report.languageId, 'markdown');
    assert.equal(fileName(report.uri), 'problem1.gradient-check.md');
    const text = report.getText();
    assert.match(text, /\*\*✓ passed\*\* · 17 parameters · 0 failing/);
    assert.match(text, /\| W²\[1\]\[2\] \| 104 \| 104 \|/);
    assert.match(text, /ε = 0\.0001/);
    const fine = await withSetting('gradientCheck.epsilon', 1e-6, () =>
      vscode.commands.executeCommand<vscode.TextDocument>('backprop.checkGradients', doc.uri),
    );
    assert.match(fine.getText(), /ε = 0\.000001/);
    // An ε that cannot work for this model is refused with the reason, not run into false failures.
    const refused = await withSetting('gradientCheck.epsilon', 1e-13, () =>
      vscode.commands.executeCommand<vscode.TextDocument | undefined>('backprop.checkGradients', doc.uri),
    );
    assert.equal(refused, undefined);
  });

  it("Train N Steps: runs and traces N steps (loss from 109 down), and the file's own count clears it", async () => {
    const { document: doc } = await openModel('problem1.bp.yaml');
    const r = await vscode.commands.executeCommand<TrainResult>('backprop.train', doc.uri, 5);
    assert.equal(r?.steps, 5);
    assert.equal(r.losses[0], 109);
    assert.ok(
      r.losses.every((l, k) => k === 0 || l < r.losses[k - 1]),
      `loss should fall: ${r.losses.join(', ')}`,
    );
    const d = await deps();
    assert.equal(d.store.stepsOverride(doc.uri), 5);
    assert.equal(d.store.get(doc.uri)?.analysis.trace?.steps.length, 5);
    const back = await vscode.commands.executeCommand<TrainResult>('backprop.train', doc.uri, 1);
    assert.equal(back?.steps, 1);
    assert.equal(d.store.stepsOverride(doc.uri), undefined);
  });

  onlyIn('node', "worker threads are Node's")(
    'Train N Steps beyond backprop.worker.threshold runs in a worker thread, with the same result',
    () => trainInWorker(/^a worker thread$/),
  );

  onlyIn('webworker', 'the browser has no worker threads')(
    'Train N Steps beyond backprop.worker.threshold runs in a Web Worker from a Blob URL, with the same result',
    () => trainInWorker(/^a Web Worker \(blob:/),
  );

  it('New Model File: an untitled copy of a template, named like a model file and analysed at once', async () => {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('backprop.newModelFile', 'problem1.bp.yaml');
    assert.ok(doc);
    assert.equal(doc.uri.scheme, 'untitled');
    // The workspace already has a problem1.bp.yaml, so the copy gets the next free name.
    assert.equal(fileName(doc.uri), 'problem1-2.bp.yaml');
    assert.equal(doc.getText(), await readText(vscode.Uri.joinPath(examples(), 'problem1.bp.yaml')));
    assert.equal(doc.languageId, 'yaml');
    const diags = await waitForDiagnostics(doc.uri, (d) => d.length === 4);
    assert.ok(diags.every((d) => d.source === 'backprop'));
    assert.match(await hoverText(doc, positionOf(doc, '  - W: [[1, 2, -3]', 12)), /13 · 8 \| \*\*104\*\*/);
  });

  it('New Model File offers every example as a template', async () => {
    const names = await modelFilesIn(examples());
    assert.ok(names.length >= 5, names.join(', '));
    for (const name of names) {
      const doc = await vscode.commands.executeCommand<vscode.TextDocument>('backprop.newModelFile', name);
      assert.ok(doc, name);
      const r = await analysed(doc);
      assert.ok(r.analysis.trace, `${name} does not run: ${r.analysis.diagnostics.map((x) => x.message).join('; ')}`);
    }
  });

  it("the walkthrough's counts are problem 1's: as many slips as the Problems view lists for the copy it opens", async () => {
    const ext = vscode.extensions.getExtension('backprop-stepper.backprop-stepper')!;
    const [w] = ext.packageJSON.contributes.walkthroughs as {
      steps: { id: string; description: string; media: { markdown: string } }[];
    }[];
    const step = w.steps.find((x) => x.id === 'openExample')!;
    const texts = [step.description, await readText(vscode.Uri.joinPath(ext.extensionUri, step.media.markdown))];
    const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    const claims = texts.flatMap((t) =>
      [...t.matchAll(/\b(\w+) (?:of them wrong|slips?)\b/g)].map((m) =>
        /^\d+$/.test(m[1]) ? Number(m[1]) : WORDS.indexOf(m[1].toLowerCase()),
      ),
    );
    assert.equal(claims.length, 2, `a count in the step and in its page: ${texts.join('\n---\n')}`);
    // The walkthrough's link: command:backprop.newModelFile?["problem1.bp.yaml"].
    assert.match(step.description, /\(command:backprop\.newModelFile\?%5B%22problem1\.bp\.yaml%22%5D\)/);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('backprop.newModelFile', 'problem1.bp.yaml');
    const r = await analysed(doc);
    // Wrong values as `backprop check` counts them: each wrong number, or a value of the wrong shape.
    const wrong = r.analysis.expectations
      .map((x) => (x.ok ? 0 : x.cells.length ? x.cells.filter((c) => !c.ok).length : 1))
      .reduce((a, b) => a + b, 0);
    const errors = await waitForDiagnostics(doc.uri, (d) => d.length === wrong);
    for (const n of claims) {
      assert.equal(n, wrong, 'hand-derived values that are wrong');
      assert.equal(n, errors.length, 'errors in the Problems view');
    }
  });

  it('commands are in the palette only for model files (when-clauses)', () => {
    const ext = vscode.extensions.getExtension('backprop-stepper.backprop-stepper')!;
    const palette = ext.packageJSON.contributes.menus.commandPalette as { command: string; when: string }[];
    for (const c of [
      'backprop.checkGradients',
      'backprop.applyUpdatedWeights',
      'backprop.exportWorkedSolution',
      'backprop.showTraceJson',
      'backprop.train',
    ]) {
      assert.match(
        palette.find((p) => p.command === c)?.when ?? '',
        /resourceFilename =~ \/\\\.bp\\\.\(ya\?ml\|json\)\$\//,
        c,
      );
    }
  });

  it('the getting-started walkthrough: three steps, each with its media shipped in the extension', async () => {
    const ext = vscode.extensions.getExtension('backprop-stepper.backprop-stepper')!;
    const [w] = ext.packageJSON.contributes.walkthroughs as {
      id: string;
      steps: { id: string; media: { markdown: string }; completionEvents: string[] }[];
    }[];
    assert.equal(w.id, 'backprop.gettingStarted');
    assert.deepEqual(
      w.steps.map((st) => st.completionEvents[0]),
      ['onCommand:backprop.newModelFile', 'onContext:backprop.hoverShown', 'onCommand:backprop.openPanel'],
    );
    const exists = (uri: vscode.Uri) =>
      Promise.resolve(vscode.workspace.fs.stat(uri)).then(
        () => true,
        () => false,
      );
    for (const st of w.steps) {
      const md = vscode.Uri.joinPath(ext.extensionUri, st.media.markdown);
      assert.ok(await exists(md), md.toString());
      for (const [, img] of (await readText(md)).matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
        assert.ok(await exists(vscode.Uri.joinPath(md, '..', img)), `${st.id}: ${img}`);
      }
    }
  });
});
