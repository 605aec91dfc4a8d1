/**
 * Text as pdflatex reads it with nothing but the article class, amsmath and amssymb (OT1 fonts):
 * LaTeX's special characters escaped, and every character we write in messages and titles (σ,
 * δ, −, ′, ᵀ, ², ⊙, ≤, …) spelt as a LaTeX command, so an exported worked solution compiles.
 * A character LaTeX cannot typeset in these fonts (CJK in a model's name) is written as its
 * code point, [U+BB38], rather than stopping the compile.
 */

/** Text-mode spellings. */
const TEXT: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '#': '\\#',
  $: '\\$',
  '%': '\\%',
  '&': '\\&',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  '"': "''",
  '−': '-',
  '–': '--',
  '—': '---',
  '‘': '`',
  '’': "'",
  '“': '``',
  '”': "''",
  '…': '\\ldots{}',
  '•': '\\textbullet{}',
  '✓': '\\ensuremath{\\checkmark}',
  '✗': '\\ensuremath{\\times}',
  '⏹': '',
};

/** Math-mode spellings, wrapped in \ensuremath. */
const MATH: Readonly<Record<string, string>> = {
  α: '\\alpha',
  β: '\\beta',
  γ: '\\gamma',
  δ: '\\delta',
  ε: '\\epsilon',
  η: '\\eta',
  θ: '\\theta',
  λ: '\\lambda',
  μ: '\\mu',
  π: '\\pi',
  σ: '\\sigma',
  τ: '\\tau',
  φ: '\\phi',
  Δ: '\\Delta',
  Σ: '\\Sigma',
  '∂': '\\partial',
  '∇': '\\nabla',
  '∑': '\\sum',
  '×': '\\times',
  '·': '\\cdot',
  '⋅': '\\cdot',
  '⊙': '\\odot',
  '⋆': '\\star',
  '∗': '\\ast',
  '≤': '\\le',
  '≥': '\\ge',
  '≈': '\\approx',
  '≠': '\\ne',
  '±': '\\pm',
  '→': '\\to',
  '←': '\\leftarrow',
  '⇒': '\\Rightarrow',
  '∞': '\\infty',
  '√': '\\surd',
  '∈': '\\in',
  '‖': '\\|',
  '∠': '\\angle',
  '′': "'",
  '⋯': '\\cdots',
  '⋮': '\\vdots',
  '½': '\\tfrac{1}{2}',
  '⅓': '\\tfrac{1}{3}',
  '¼': '\\tfrac{1}{4}',
  ᵀ: '^{\\top}',
  ᵗ: '^{t}',
  ⁿ: '^{n}',
  '⁻': '^{-}',
  '⁰': '^{0}',
  '¹': '^{1}',
  '²': '^{2}',
  '³': '^{3}',
  '⁴': '^{4}',
  '⁵': '^{5}',
  '⁶': '^{6}',
  '⁷': '^{7}',
  '⁸': '^{8}',
  '⁹': '^{9}',
  '₀': '_{0}',
  '₁': '_{1}',
  '₂': '_{2}',
  '₃': '_{3}',
  '₄': '_{4}',
  '₅': '_{5}',
  '₆': '_{6}',
  '₇': '_{7}',
  '₈': '_{8}',
  '₉': '_{9}',
  ₙ: '_{n}',
};

/** Latin-1 and Latin Extended-A letters that OT1 cannot build (pdflatex stops on them). */
const OT1_MISSING = new Set([
  0xab, 0xbb, 0xd0, 0xde, 0xf0, 0xfe, 0x104, 0x105, 0x110, 0x111, 0x118, 0x119, 0x126, 0x127, 0x12e, 0x12f, 0x138,
  0x13f, 0x140, 0x149, 0x14a, 0x14b, 0x166, 0x167, 0x172, 0x173, 0x17f,
]);

const COMBINING_HAT = 0x302;

/** Whether pdflatex, as configured by our preamble, typesets `c` as it stands. */
function typesetsAsIs(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 10 || (c >= 0xa0 && c <= 0x17f && !OT1_MISSING.has(c));
}

/** `s` as LaTeX text. */
export function latexText(s: string): string {
  let out = '';
  const chars = Array.from(s);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    // m̂ (m + combining circumflex), as the Adam equations write it.
    if (chars[i + 1]?.codePointAt(0) === COMBINING_HAT) {
      out += `\\ensuremath{\\hat{${ch}}}`;
      i++;
      continue;
    }
    const text = TEXT[ch];
    if (text !== undefined) out += text;
    else if (MATH[ch] !== undefined) out += `\\ensuremath{${MATH[ch]}}`;
    else {
      const c = ch.codePointAt(0) ?? 0;
      out += typesetsAsIs(c) ? ch : c === 9 ? ' ' : `[U+${c.toString(16).toUpperCase().padStart(4, '0')}]`;
    }
  }
  return out;
}

/** Math as pdflatex reads it: the equations are written in ASCII LaTeX; a stray character is spelt out. */
export function latexMath(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out += ch;
    else if (MATH[ch] !== undefined) out += `{${MATH[ch]}}`;
    else if (ch === '−') out += '-';
    else out += `\\text{${latexText(ch)}}`;
  }
  return out;
}
