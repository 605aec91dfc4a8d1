/**
 * Guards that keep hostile YAML from hanging or exhausting the stack, checked on `yaml`'s own
 * lexemes before anything is composed: `yaml`'s composer recurses once per nesting level (very
 * deep input overflows the stack, and near that point V8 can even abort), and composing costs
 * ~10 µs and ~1 kB per value. The alias budget is the converter's (yamlConvert.ts).
 */
import { MAX_NESTING, SyntaxProblem } from './nodes';
import { lexemeWidth } from './yamlNumberLists';

/** Block-context depth estimate (indentation + `- ` indicators) above which the text is refused. */
export const MAX_BLOCK_DEPTH = 200;
/** Words (keys, values, indicators) outside number lists that a large text may hold. */
export const MAX_SLOW_WORDS = 400_000;

/** Lexemes that carry no value: the parser's control characters, white space, commas, comments. */
function isFiller(lexeme: string): boolean {
  const c = lexeme.charCodeAt(0);
  return (
    lexeme.length === 0 ||
    c === 0x02 ||
    c === 0x18 ||
    c === 0x1f ||
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 0x2c ||
    c === 0x23
  );
}

/** Watches every lexeme on its way to the parser; the first problem stops the read. */
export class LexemeGuard {
  private flow = 0;
  private lineStart = true;
  private indent = 0;
  private indicators = 0;
  private words = 0;
  /** How many of the parser's lexemes `cost` has counted, and the offset after them. */
  private counted = 0;
  private countedTo = 0;
  /** After the lexer's \x1f: the next lexeme is a scalar's text (a block scalar's may start with spaces). */
  private scalarNext = false;

  /** `countWords`: large texts only (where number lists skip composing, and the rest must be small). */
  constructor(private readonly countWords: boolean) {}

  /** Every lexeme, as the lexer gives it: nesting. */
  see(lexeme: string, offset: number): SyntaxProblem | undefined {
    const at = (message: string): SyntaxProblem => ({
      span: { start: offset, end: offset + 1 },
      message,
      code: 'depth',
      severity: 'error',
    });
    if (lexeme === '\n' || lexeme === '\r\n') {
      this.lineStart = true;
      this.indent = 0;
      this.indicators = 0;
      return undefined;
    }
    const scalar = this.scalarNext;
    this.scalarNext = lexeme === '\x1f';
    if (this.lineStart && lexeme.length > 0 && lexeme.charCodeAt(0) !== 0x1f && lexeme.charCodeAt(0) !== 0x02) {
      if (lexeme[0] === ' ' && !scalar) {
        this.indent += lexeme.length;
        return undefined;
      }
      if (lexeme === '-' || lexeme === '?' || lexeme === ':') {
        this.indicators++;
        this.indent++;
        if (this.indent + this.indicators > MAX_BLOCK_DEPTH)
          return at(`Nested more than ${MAX_BLOCK_DEPTH} levels deep`);
        return undefined;
      }
      this.lineStart = false;
      if (this.indent > MAX_BLOCK_DEPTH) return at(`Indented more than ${MAX_BLOCK_DEPTH} columns`);
    }
    if (lexeme === '[' || lexeme === '{') {
      if (++this.flow > MAX_NESTING) return at(`Nested more than ${MAX_NESTING} levels deep`);
    } else if (lexeme === ']' || lexeme === '}') this.flow = Math.max(0, this.flow - 1);
    else if (lexeme === '\x18') this.flow = 0;
    return undefined;
  }

  /**
   * What the parser is to read (number lists read by the fast path are not in it), counted from
   * where the last call stopped: the cost of composing.
   */
  cost(lexemes: readonly string[]): SyntaxProblem | undefined {
    for (; this.counted < lexemes.length; this.counted++) {
      const lexeme = lexemes[this.counted];
      const at = this.countedTo;
      this.countedTo += lexemeWidth(lexeme);
      if (!this.countWords || isFiller(lexeme) || ++this.words <= MAX_SLOW_WORDS) continue;
      const message = `The file holds more than ${MAX_SLOW_WORDS} values outside plain number lists; write large matrices as [[1, 2], [3, 4]] lists of numbers`;
      return { span: { start: at, end: at + 1 }, message, code: 'limit', severity: 'error' };
    }
    return undefined;
  }

  /** Flow depth of the next lexeme: number lists are looked for at depth 0 only. */
  get flowDepth(): number {
    return this.flow;
  }
}
