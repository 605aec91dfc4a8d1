/**
 * `backprop trace`: runs the model and writes its trace as it is produced, one step at a time,
 * into the trace store (bounded memory whatever --steps says) and out through Output
 * (back-pressure; a closed pipe ends the run quietly, a full disk with one line).
 */
import { analyzeParsed, analyzeTrained, runnableModel, trainOptions } from '../analysis/analyze';
import { parseModel } from '../model/parse';
import { Trainer } from '../engine/run';
import { StepRecord } from '../engine/trace';
import { ndjsonLine, TraceJsonWriter } from '../report/json';
import { WorkedFormat, WorkedWriter } from '../report/worked';
import { widths } from '../engine/layers/registry';
import type { LeastSquaresSolution } from '../analysis/leastSquares';
import { Io } from './io';
import { printDiagnostics } from './diagnostics';
import { Output, OutputError, outputError } from './output';
import { StepSelection } from './selection';

export type TraceFormat = 'json' | 'ndjson' | WorkedFormat;

export interface TraceOptions {
  readonly steps?: number;
  readonly format: TraceFormat;
  readonly digits?: number;
  readonly color: boolean;
  /** The steps to print (--only-steps, --every); all by default. */
  readonly select?: StepSelection;
}

const PROGRESS_MS = 200;

/** How one format writes a run: what comes first, each step, and what comes last. */
interface Writer {
  head(): string;
  step(r: StepRecord): string;
  tail(): string;
}

export async function runTrace(file: string, text: string, o: TraceOptions, io: Io): Promise<number> {
  const parsed = parseModel(text, { fileName: file });
  const model = runnableModel(parsed);
  if (!model) {
    printDiagnostics(file, analyzeParsed(parsed).diagnostics, io, o.color);
    return 1;
  }
  const select = o.select ?? StepSelection.all();
  const training = trainOptions(model, { steps: o.steps });
  const trainer = new Trainer(model.spec, training);
  select.checkWithin(trainer.total);
  const writer = formatWriter(o, model, trainer, training.leastSquares?.solution);
  const out = new Output(io);
  const progress = io.errIsTTY ? new Progress(io, trainer.total) : undefined;
  try {
    await out.write(writer.head());
    for (let r = trainer.next(); r; r = trainer.next()) {
      if (select.has(r.step)) await out.write(writer.step(r));
      progress?.update(r.step, r.loss.value);
    }
    progress?.clear();
    await out.write(writer.tail());
    await out.flush();
  } catch (e) {
    progress?.clear();
    const err = e instanceof OutputError ? e : isWriteFailure(e) ? outputError(e) : undefined;
    if (!err) throw e;
    // The reader went away (`| head`): it has what it wanted. Anything else is worth one line.
    if (err.readerGone) return 0;
    io.err(`${err.line}\n`);
    return 1;
  }
  // Findings go to stderr so that stdout stays a clean JSON/Markdown/LaTeX document. `trace`
  // succeeds whenever it traced: judging the hand-derived values is `check`'s job.
  const a = analyzeTrained(parsed, model, trainer.trace(), { training });
  printDiagnostics(
    file,
    a.diagnostics.filter((d) => d.severity !== 'info'),
    io,
    o.color,
    true,
  );
  return 0;
}

function isWriteFailure(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^(EPIPE|ENOSPC|EDQUOT|EIO|EBADF|ERR_STREAM_)/.test(code);
}

function formatWriter(
  o: TraceOptions,
  model: NonNullable<ReturnType<typeof runnableModel>>,
  trainer: Trainer,
  leastSquares: LeastSquaresSolution | undefined,
): Writer {
  const t = trainer.trace();
  const ctx = {
    name: model.name,
    convention: model.convention,
    batchLayout: model.batchLayout,
    layers: t.layers,
    parameterCounts: t.parameterCounts,
    leastSquares,
  };
  switch (o.format) {
    case 'json': {
      const w = new TraceJsonWriter(ctx);
      return {
        head: () => w.head(trainer.trace()),
        step: (r) => w.step(r),
        tail: () => w.tail(trainer.trace()) + '\n',
      };
    }
    case 'ndjson': {
      // One object per line: the json format's step, written whole as soon as the step is done.
      let first = true;
      return {
        head: () => '',
        step: (r) => {
          const line = ndjsonLine(r, ctx, first);
          first = false;
          return line;
        },
        tail: () => '',
      };
    }
    default: {
      const format = o.format;
      const w = new WorkedWriter(
        {
          name: model.name,
          convention: model.convention,
          widths: widths(model.spec),
          activations: model.spec.layers.map((l) => l.activation),
          loss: model.spec.loss,
          digits: o.digits,
          leastSquares,
        },
        format,
        o.color && format === 'table',
        trainer.total > 1,
      );
      return {
        head: () => w.head(trainer.trace()),
        step: (r) => w.step(trainer.trace(), r.step),
        tail: () => w.tail(trainer.trace()),
      };
    }
  }
}

/** "step 12,345 of 100,000 · loss 0.0123" on stderr, rewritten in place. */
class Progress {
  private last = 0;
  private shown = false;
  private readonly started = Date.now();

  constructor(
    private readonly io: Io,
    private readonly total: number,
  ) {}

  update(step: number, loss: number): void {
    const now = Date.now();
    // Short runs never flash a line.
    if (now - this.last < PROGRESS_MS || now - this.started < 500) return;
    this.last = now;
    this.shown = true;
    const n = (x: number) => x.toLocaleString('en-US');
    this.io.err(`\r\x1b[2Kbackprop: step ${n(step)} of ${n(this.total)} · loss ${loss.toPrecision(6)}`);
  }

  clear(): void {
    if (this.shown) this.io.err('\r\x1b[2K');
    this.shown = false;
  }
}
