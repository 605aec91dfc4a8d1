/**
 * The YAML front end, data only (the core schema; no custom tag runs): `yaml`'s Lexer → the
 * guards and the number-list fast path (yamlGuards.ts, yamlNumberLists.ts) → `yaml`'s Parser and
 * Composer → the shared Node tree (yamlConvert.ts). What `parseDocument` does, with two stops on
 * the way: hostile text is refused before it is composed, and big number lists skip composing.
 */
import { Composer, CST, Document, Lexer, Parser, YAMLParseError } from 'yaml';
import { FrontEndResult, SyntaxProblem } from './nodes';
import { LexemeGuard } from './yamlGuards';
import { NumberListFilter, lexemeWidth } from './yamlNumberLists';
import { Converter } from './yamlConvert';
import { wordYamlErrors } from './yamlMessages';

/** Texts at least this long take the number-list fast path. */
const FAST_PATH_MIN_CHARS = 64 * 1024;
/** A number list is read by the fast path when it has at least this many numbers. */
const FAST_LIST_MIN_NUMBERS = 32;
/** What `parseDocument` would be given: strict YAML 1.2, core schema, unique keys. */
const OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2', schema: 'core' } as const;
/** Below this size, a text with YAML errors is read again as written, for yaml's exact messages. */
const FAITHFUL_ERRORS_MAX_CHARS = 1024 * 1024;
/** Errors and warnings reported at most. */
const MAX_PROBLEMS = 50;

/** Fast-path thresholds; tests lower them to compare both paths on small texts. */
export interface YamlOptions {
  readonly fastPathMinChars?: number;
  readonly fastListMinNumbers?: number;
}

export function parseYaml(text: string, options: YamlOptions = {}): FrontEndResult {
  const fast = text.length >= (options.fastPathMinChars ?? FAST_PATH_MIN_CHARS);
  const guard = new LexemeGuard(fast);
  const lists = new NumberListFilter(text, fast ? (options.fastListMinNumbers ?? FAST_LIST_MIN_NUMBERS) : Infinity);
  // Lex it all first: the guards refuse hostile text before the (slower) parser sees any of it.
  const lexemes: string[] = [];
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    const depth = guard.flowDepth;
    const deep = guard.see(lexeme, offset);
    if (deep) return { problems: [deep] };
    lists.push(lexeme, offset, depth, lexemes);
    offset += lexemeWidth(lexeme);
    const costly = guard.cost(lexemes);
    if (costly) return { problems: [costly] };
  }
  lists.end(lexemes);
  const costly = guard.cost(lexemes);
  if (costly) return { problems: [costly] };
  const parser = new Parser();
  function* tokens(): Generator<CST.Token> {
    for (const l of lexemes) yield* parser.next(l);
    yield* parser.end();
  }

  let doc: Document.Parsed | undefined;
  try {
    for (const d of new Composer(OPTIONS).compose(tokens(), true, text.length)) {
      if (!doc) doc = d;
      else {
        // At the `---` that starts the second document (its range begins after the marker).
        const marker = text.lastIndexOf('---', d.range[0]);
        const at = marker >= 0 ? marker : d.range[0];
        doc.errors.push(
          new YAMLParseError(
            [at, at + 3],
            'MULTIPLE_DOCS',
            'A second YAML document starts here: one model per file (remove this `---` and what follows, or move it to a file of its own)',
          ),
        );
        break;
      }
    }
  } catch (e) {
    return {
      problems: [
        {
          span: { start: 0, end: 0 },
          message: `The YAML could not be read (${e instanceof Error ? e.message : String(e)})`,
          code: 'yaml-syntax',
          severity: 'error',
        },
      ],
    };
  }
  if (!doc) return { problems: [] };
  if (doc.errors.length > 0 && lists.regions.size > 0 && text.length <= FAITHFUL_ERRORS_MAX_CHARS) {
    // Where the text is broken, yaml words an error per lexeme it did not expect, and a list read
    // by the fast path hands it fewer: when affordable, report the errors of the text as written.
    return parseYaml(text, { ...options, fastPathMinChars: Infinity });
  }
  const problems: SyntaxProblem[] = wordYamlErrors(doc.errors, text, MAX_PROBLEMS);
  for (const w of doc.warnings.slice(0, MAX_PROBLEMS))
    problems.push({
      span: { start: w.pos[0], end: w.pos[1] },
      message: firstLine(w.message),
      code: 'yaml-warning',
      severity: 'warning',
    });
  if (doc.errors.length > 0 || doc.contents === null) return { problems };
  const root = new Converter(doc, lists.regions, problems).convert(doc.contents, 0, 0);
  return { root, problems };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}
