/**
 * Numbers as the settings ask (backprop.precision, backprop.numberFormat): the one rule of every
 * view (formatValue), for every number the panel writes — matrices, pills, tables, legends, pickers.
 */
import { formatValue } from '../src/engine/numberFormat';
import { PanelSettings } from '../src/protocol';

export function makeFormatter(s: PanelSettings): (x: number) => string {
  const format = { digits: s.digits, style: s.numberFormat };
  return (x) => formatValue(x, format);
}
