/** The seed examples through the real pipeline, as the panel's host would see them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, Analysis } from '../../../src/analysis/analyze';
import { PanelSource, sourceFromAnalysis } from '../../../src/extension/panel/payload';
import { Model } from '../../../src/model/types';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', '..', 'examples');

export function example(
  name: string,
  opts: { gradcheck?: boolean } = {},
): { analysis: Analysis; model: Model; source: PanelSource } {
  const text = fs.readFileSync(path.join(EXAMPLES, name), 'utf8');
  const analysis = analyze(text, { fileName: name, gradcheck: opts.gradcheck });
  const source = sourceFromAnalysis(`file:///examples/${name}`, name, analysis);
  if (!analysis.model || !source) throw new Error(`${name} did not produce a trace`);
  return { analysis, model: analysis.model, source };
}

/** A model text analysed directly. */
export function fromText(
  text: string,
  fileName = 'inline.bp.yaml',
): { analysis: Analysis; model: Model; source: PanelSource } {
  const analysis = analyze(text, { fileName });
  const source = sourceFromAnalysis(`file:///${fileName}`, fileName, analysis);
  if (!analysis.model || !source) throw new Error(`no trace: ${analysis.diagnostics.map((d) => d.message).join('; ')}`);
  return { analysis, model: analysis.model, source };
}
