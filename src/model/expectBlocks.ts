/**
 * The hand-derived values of `expect:` blocks, read as written (their shapes are judged against
 * the trace, in the analysis): each value with its layer, step, tolerance and ranges.
 */
import { DEFAULT_TOLERANCE, ExpectKey, Expectation, Limits } from './types';
import { MapEntry, Node } from './nodes';
import { gridRows, readGrid } from './grid';
import { Report } from './report';
import { SchemaCheck } from './schemaCheck';
import { Path, expectSymbol } from './valueNames';

/** Reads the block (or list of blocks) of `entry`, at `path`; `layer` is 1-based, 0 for the file-level block. */
export function readExpectations(
  entry: MapEntry,
  path: Path,
  layer: number,
  check: SchemaCheck,
  report: Report,
  limits: Limits,
  out: Expectation[],
  /** Arithmetic as written ("(2/3)*38"), by the offset of its value: shown back in messages. */
  arithmetic: ReadonlyMap<number, string> = new Map(),
): void {
  const v = entry.value;
  if (v.kind === 'seq' && v.items.length === 0) report.warn(v, 'empty', 'expect is empty');
  const blocks: [Node, Path][] = v.kind === 'seq' ? v.items.map((b, j) => [b, [...path, j]]) : [[v, path]];
  for (const [block, at] of blocks) {
    if (block.kind !== 'map') continue;
    const entries = new Map(block.entries.map((e) => [e.key, e]));
    const stepE = entries.get('step');
    let step = check.get([...at, 'step']);
    if (stepE && typeof step === 'number' && step > limits.maxSteps) {
      report.error(stepE.value, 'range', `step must be at most ${limits.maxSteps}; got ${step}`);
      step = undefined;
    }
    const tolE = entries.get('tolerance');
    const tolerance = tolE ? check.get([...at, 'tolerance']) : DEFAULT_TOLERANCE;
    for (const [key, ke] of entries) {
      if (key === 'step' || key === 'tolerance' || !check.known(at, key) || !check.ok([...at, key])) continue;
      const g = readGrid(ke.value, report, { what: expectSymbol(key as ExpectKey, layer), key: ke.keySpan });
      if (!g || typeof step !== 'number' || typeof tolerance !== 'number') continue;
      const written =
        arithmetic.size === 0 ? undefined : g.ranges.cells.map((row) => row.map((r) => arithmetic.get(r.start.offset)));
      out.push({
        layer,
        key: key as ExpectKey,
        ...(written?.some((row) => row.some((x) => x !== undefined)) ? { arithmetic: written } : {}),
        step,
        tolerance,
        toleranceMode: tolE ? 'absolute' : 'scaled',
        values: gridRows(g),
        written: g.written,
        ...(g.written === 'tensor' ? { dims: g.dims } : {}),
        ranges: g.ranges,
        ...(stepE ? { stepRange: report.range(stepE.value) } : {}),
        blockRange: report.range(block),
      });
    }
  }
}
