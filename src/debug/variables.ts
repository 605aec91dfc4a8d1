/**
 * The Variables view's tree at the debugger's position: scopes "Layer l", "Loss", "Input",
 * "Optimizer", "Health", each listing only what has been computed so far; matrices expand to rows
 * and rows to entries (in pages, for wide layers), each with the expression that names it, so
 * Add to Watch and Copy as Expression give e.g. `W2[1][2]`.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { sup } from '../engine/numberFormat';
import { Matrix } from '../engine/tensor';
import { Position } from './positions';
import { Runtime } from './runtime';
import { LAYER_QUANTITIES, LayerKey, Snapshot, Value } from './values';

/** What a variables reference stands for. */
export type Container =
  | {
      readonly type: 'scope';
      readonly scope: 'layer' | 'loss' | 'input' | 'optimizer' | 'health';
      readonly layer: number;
    }
  | { readonly type: 'value'; readonly value: Matrix; readonly evaluateName: string };

/** Longest value preview before it is cut with an ellipsis. */
const PREVIEW = 120;

export function evaluateNameOf(key: LayerKey, l: number): string {
  return key === 'W_next' || key === 'b_next' ? `${key[0]}${l}_next` : `${key}${l}`;
}

export class VariableTree {
  private readonly refs: Container[] = [];

  constructor(private readonly runtime: Runtime) {}

  /** Forget every reference (each stop starts afresh, as the protocol allows). */
  reset(): void {
    this.refs.length = 0;
  }

  private ref(c: Container): number {
    this.refs.push(c);
    return this.refs.length;
  }

  container(ref: number): Container | undefined {
    return Number.isInteger(ref) ? this.refs[ref - 1] : undefined;
  }

  scopes(): DebugProtocol.Scope[] {
    const p = this.runtime.current;
    const layers = this.runtime.run.source.layerCount;
    const scope = (name: string, c: Container, expensive = false): DebugProtocol.Scope => ({
      name,
      variablesReference: this.ref(c),
      expensive,
    });
    const layer = (l: number) => scope(`Layer ${l}`, { type: 'scope', scope: 'layer', layer: l });
    const out: DebugProtocol.Scope[] = [];
    if (p.kind !== 'loss') out.push(layer(p.layer));
    out.push(
      scope('Loss', { type: 'scope', scope: 'loss', layer: 0 }),
      scope('Input', { type: 'scope', scope: 'input', layer: 0 }),
    );
    for (let l = 1; l <= layers; l++) if (p.kind === 'loss' || l !== p.layer) out.push(layer(l));
    out.push(
      scope('Optimizer', { type: 'scope', scope: 'optimizer', layer: 0 }),
      scope('Health', { type: 'scope', scope: 'health', layer: 0 }),
    );
    return out;
  }

  variables(
    ref: number,
    args: { filter?: 'indexed' | 'named'; start?: number; count?: number },
  ): DebugProtocol.Variable[] {
    const c = this.container(ref);
    if (!c) throw new Error(`there is no variables reference ${ref} at this stop (references change at every stop)`);
    if (c.type === 'value') return this.children(c.value, c.evaluateName, args.start ?? 0, args.count);
    const snap = this.runtime.snapshot();
    switch (c.scope) {
      case 'layer':
        return this.layerScope(snap, c.layer);
      case 'loss':
        return this.lossScope(snap);
      case 'input':
        return this.inputScope(snap);
      case 'optimizer':
        return this.optimizerScope(snap);
      case 'health':
        return this.healthScope(snap.position);
    }
  }

  /** A variable for a value: a number, or an expandable matrix with its shape. */
  variable(name: string, v: Value | string, evaluateName?: string): DebugProtocol.Variable {
    if (typeof v === 'string') return { name, value: v, variablesReference: 0, evaluateName };
    if (typeof v === 'number')
      return { name, value: this.runtime.format(v), type: 'number', variablesReference: 0, evaluateName };
    const vector = v.rows === 1 || v.cols === 1;
    const n = vector ? v.data.length : v.rows;
    return {
      name,
      value: this.preview(v),
      type: `${v.rows}×${v.cols}`,
      evaluateName,
      variablesReference: n > 0 ? this.ref({ type: 'value', value: v, evaluateName: evaluateName ?? name }) : 0,
      indexedVariables: n,
    };
  }

  /** The value as text, cut at PREVIEW characters: formats only what fits, however big the matrix. */
  preview(v: Matrix): string {
    const vector = v.rows === 1 || v.cols === 1;
    const rows = vector ? 1 : v.rows,
      cols = vector ? v.data.length : v.cols;
    let s = vector ? '[' : '[[';
    for (let i = 0; i < rows; i++) {
      if (i > 0) s += '], [';
      for (let j = 0; j < cols; j++) {
        if (j > 0) s += ', ';
        s += this.runtime.format(v.data[i * cols + j]);
        if (s.length > PREVIEW) return `${s.slice(0, PREVIEW)}…`;
      }
    }
    return s + (vector ? ']' : ']]');
  }

  private children(m: Matrix, name: string, start: number, count: number | undefined): DebugProtocol.Variable[] {
    const vector = m.rows === 1 || m.cols === 1;
    const n = vector ? m.data.length : m.rows;
    const end = Math.min(n, start + (count ?? n));
    const out: DebugProtocol.Variable[] = [];
    for (let i = Math.max(0, start); i < end; i++) {
      const expr = `${name}[${i + 1}]`;
      if (vector) out.push(this.variable(`[${i + 1}]`, m.data[i], expr));
      else
        out.push(
          this.variable(
            `[${i + 1}]`,
            { rows: 1, cols: m.cols, data: m.data.subarray(i * m.cols, (i + 1) * m.cols) },
            expr,
          ),
        );
    }
    return out;
  }

  private layerScope(snap: Snapshot, l: number): DebugProtocol.Variable[] {
    return LAYER_QUANTITIES.filter((q) => snap.hasLayer(q.key, l)).map((q) =>
      this.variable(q.label, snap.layer(q.key, l), evaluateNameOf(q.key, l)),
    );
  }

  private lossScope(snap: Snapshot): DebugProtocol.Variable[] {
    if (!snap.hasGlobal('loss')) return [];
    const rec = snap.source.step(snap.step).loss;
    const out = [
      this.variable('L', snap.global('loss'), 'loss'),
      this.variable(`∂L/∂a${sup(snap.layers)}`, snap.global('dL_da'), 'dL_da'),
    ];
    if (rec.l2Term !== 0) out.push(this.variable('data term', rec.dataTerm), this.variable('L2 term', rec.l2Term));
    out.push(this.variable('function', rec.loss));
    return out;
  }

  private inputScope(snap: Snapshot): DebugProtocol.Variable[] {
    const out = [this.variable('x', snap.global('x'), 'x'), this.variable('t', snap.global('t'), 't')];
    if (snap.hasGlobal('dL_dx')) out.push(this.variable('∂L/∂x', snap.global('dL_dx'), 'dL_dx'));
    return out;
  }

  private optimizerScope(snap: Snapshot): DebugProtocol.Variable[] {
    const o = snap.source.optimizer;
    const out = [
      this.variable('type', o.type),
      this.variable('lr', o.lr, 'lr'),
      this.variable('step t', snap.step, 'step'),
    ];
    if (o.type === 'momentum') out.push(this.variable('μ', o.momentum));
    if (o.type === 'adam') {
      const t = snap.step;
      out.push(
        this.variable('β₁', o.beta1),
        this.variable('β₂', o.beta2),
        this.variable('ε', o.eps),
        this.variable('1 − β₁ᵗ', 1 - Math.pow(o.beta1, t)),
        this.variable('1 − β₂ᵗ', 1 - Math.pow(o.beta2, t)),
      );
    }
    for (let l = 1; l <= snap.layers; l++) {
      for (const [name, m] of snap.optimizerState(l)) {
        const [buf, param] = name.split('_');
        out.push(this.variable(`${buf} of ${param}${sup(l)}`, m, `${buf}_${param}${l}`));
      }
    }
    return out;
  }

  private healthScope(p: Position): DebugProtocol.Variable[] {
    const out: DebugProtocol.Variable[] = [];
    const here = this.runtime.index;
    for (const [index, stops] of this.runtime.run.exceptions) {
      if (index > here) continue;
      for (const e of stops)
        if (e.filter !== 'wrongExpect')
          out.push(
            this.variable(`${e.id.replace(/_/g, ' ')} · step ${this.runtime.run.space.at(index).step}`, e.message),
          );
    }
    if (out.length === 0) out.push(this.variable('findings', `none up to step ${p.step}`));
    return out;
  }
}
