/** Numbers as the settings ask (backprop.precision, backprop.numberFormat), via the engine's formatter. */
import { formatNumber } from '../src/engine/numberFormat';
import { PanelSettings } from '../src/protocol';

export interface Formatters {
  /** Matrices, tables, equations' neighbours: the full precision asked for. */
  readonly full: (x: number) => string;
  /** Diagram nodes and labels: at most 4 significant digits, so a value fits its pill. */
  readonly short: (x: number) => string;
}

export function makeFormatters(s: PanelSettings): Formatters {
  const shortDigits = Math.min(4, s.digits);
  return {
    full: (x) => formatNumber(x, s.digits, s.numberFormat),
    short: (x) => formatNumber(x, s.numberFormat === 'fixed' ? Math.min(2, s.digits) : shortDigits, s.numberFormat),
  };
}
