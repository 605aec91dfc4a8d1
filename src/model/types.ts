/**
 * The parsed model file: the engine's NetworkSpec plus everything a view needs to point back
 * into the text (ranges of every key and every number) and the user's hand-derived values.
 * Nothing here knows about VS Code: positions are 0-based line/character like LSP's, plus offsets.
 */
import { NetworkSpec } from '../engine/network';

/** Model files are recognised by name: *.bp.yaml, *.bp.yml, *.bp.json. */
export const MODEL_FILE_PATTERN = /\.bp\.(ya?ml|json)$/i;

export interface Position {
  /** 0-based line. */
  readonly line: number;
  /** 0-based column in UTF-16 code units (as VS Code counts). */
  readonly character: number;
  /** 0-based offset into the text. */
  readonly offset: number;
}

export interface SourceRange {
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/** Machine-readable data a quick fix needs; `kind` names the fix. */
export type FixData =
  | { readonly kind: 'replace_expected'; readonly text: string }
  | { readonly kind: 'transpose_matrix'; readonly text: string }
  | { readonly kind: 'add_bias'; readonly text: string; readonly insertAt: Position };

export interface ModelDiagnostic {
  readonly range: SourceRange;
  readonly severity: Severity;
  readonly message: string;
  /** Stable id, e.g. 'yaml-syntax', 'shape', 'expect-mismatch', 'non-finite'. */
  readonly code: string;
  readonly fix?: FixData;
}

export type Convention = 'out_in' | 'in_out';
export type BatchLayout = 'rows' | 'columns';

/** Ranges of a matrix literal as written: cells[i][j] in the file's own row/column order. */
export interface MatrixRanges {
  /** The whole value (the outer brackets, or the block sequence). */
  readonly value: SourceRange;
  /** The key (`W:`), when the value sits under one. */
  readonly key?: SourceRange;
  /** One range per number, as written: a vector is a single row. */
  readonly cells: readonly (readonly SourceRange[])[];
}

export interface LayerRanges {
  /** The whole layer mapping. */
  readonly layer: SourceRange;
  /** The `- ` item marker line or the mapping start, for CodeLens. */
  readonly head: SourceRange;
  readonly W?: MatrixRanges;
  readonly b?: MatrixRanges;
  readonly activation?: SourceRange;
  readonly activationKey?: SourceRange;
  readonly expect?: SourceRange;
  /** `units:` value, for layers initialised from a seed. */
  readonly units?: SourceRange;
  /** `init:` value. */
  readonly init?: SourceRange;
}

export const EXPECT_KEYS = ['z', 'a', 'delta', 'dW', 'db', 'W_next', 'b_next', 'dL_da', 'sigma_prime'] as const;
export type ExpectKey = (typeof EXPECT_KEYS)[number] | 'loss';

/**
 * The tolerance when an expect block gives none: 1e-6, scaled by max(1, |computed|), so 0.96
 * matches 0.9600000000000001 and 1e6-sized values are compared relatively. A `tolerance:` key
 * is absolute (tolerance: 0.005 accepts values rounded to 2 decimals).
 */
export const DEFAULT_TOLERANCE = 1e-6;

/** One hand-derived value from an `expect:` block. */
export interface Expectation {
  /** 1-based layer; 0 for the file-level block (`loss`, `dL_da`). */
  readonly layer: number;
  readonly key: ExpectKey;
  /** 1-based training step it refers to (default 1). */
  readonly step: number;
  /** Tolerance per entry: absolute, or scaled by max(1, |computed|) when toleranceMode is 'scaled'. */
  readonly tolerance: number;
  /** 'scaled' for the default tolerance, 'absolute' (the default when absent) for `tolerance:`. */
  readonly toleranceMode?: 'absolute' | 'scaled';
  /** The `step:` value of the block, when written (errors about missing steps point here). */
  readonly stepRange?: SourceRange;
  /** The whole expect block this value came from. */
  readonly blockRange?: SourceRange;
  /**
   * As written: a scalar is [[x]], a vector [[x, y, …]], a matrix its rows; a tensor one row per
   * outer entry (an image C×H×W is one row of C·H·W numbers, N×C×H×W one row per example).
   */
  readonly values: readonly (readonly number[])[];
  /** Cells written as arithmetic ("(2/3)*38"), as written, where the file has any; undefined cells are plain numbers. */
  readonly arithmetic?: readonly (readonly (string | undefined)[])[];
  /** Whether the user wrote a scalar, a flat vector, a nested matrix or lists nested deeper. */
  readonly written: 'scalar' | 'vector' | 'matrix' | 'tensor';
  /** The written shape ([C, H, W], [N, C, H, W], …), for tensors. */
  readonly dims?: readonly number[];
  readonly ranges: MatrixRanges;
}

export interface Limits {
  readonly maxParameters: number;
  readonly maxBatch: number;
  readonly maxSteps: number;
  readonly maxLayers: number;
  readonly maxUnits: number;
  /** Text larger than this is refused before parsing. */
  readonly maxBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxParameters: 5_000_000,
  maxBatch: 10_000,
  maxSteps: 10_000_000,
  maxLayers: 64,
  maxUnits: 8_192,
  maxBytes: 64 * 1024 * 1024,
};

export interface ModelRanges {
  readonly name?: SourceRange;
  readonly input?: MatrixRanges;
  readonly target?: MatrixRanges;
  readonly loss?: SourceRange;
  readonly lossKey?: SourceRange;
  readonly optimizer?: SourceRange;
  readonly layers: readonly LayerRanges[];
  readonly layersKey?: SourceRange;
  readonly expect?: SourceRange;
  readonly steps?: SourceRange;
  readonly seed?: SourceRange;
  readonly convention?: SourceRange;
  readonly batchLayout?: SourceRange;
  /** The value of `gradcheck: {epsilon: …}`, when written. */
  readonly gradcheckEpsilon?: SourceRange;
}

export interface Model {
  readonly name: string;
  readonly format: 'yaml' | 'json';
  readonly convention: Convention;
  readonly batchLayout: BatchLayout;
  /** The engine's view: canonical layout (W out×in, examples as rows). */
  readonly spec: NetworkSpec;
  readonly seed?: number;
  /** Gradient-check ε (default 1e-4). */
  readonly gradcheckEpsilon: number;
  readonly expectations: readonly Expectation[];
  readonly ranges: ModelRanges;
  /** Per layer: how W was made when the file gives `units`/`init` instead of W (null: W written). */
  readonly initializers?: readonly (string | null)[];
}

export interface ParseResult {
  /** Absent when the file has errors that prevent building a network. */
  readonly model?: Model;
  readonly diagnostics: readonly ModelDiagnostic[];
}
