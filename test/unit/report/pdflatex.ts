/**
 * Compiles a LaTeX document with pdflatex (Debian texlive-latex-base and texlive-latex-recommended,
 * which .ci/run and scripts/vscode/system.mjs install) and reports what went wrong: errors, and the
 * warnings about characters the fonts do not have (which pdflatex would otherwise drop silently).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PDFLATEX = '/usr/bin/pdflatex';

export function requirePdflatex(): void {
  if (!existsSync(PDFLATEX))
    throw new Error(
      'pdflatex is missing: install the Debian packages texlive-latex-base texlive-latex-recommended (npm test installs them as root)',
    );
}

/** Every problem pdflatex reported, as lines of its log; empty when the document compiled cleanly. */
export function pdflatexProblems(tex: string): string[] {
  requirePdflatex();
  const dir = mkdtempSync(join(tmpdir(), 'backprop-latex-'));
  try {
    // \tracinglostchars=3 turns a character missing from a font into an error (pdfTeX 1.40.22 on).
    writeFileSync(join(dir, 'doc.tex'), tex);
    const r = spawnSync(
      PDFLATEX,
      [
        '-interaction=nonstopmode',
        '-halt-on-error',
        '-no-shell-escape',
        '-jobname=out',
        '\\tracinglostchars=3\\input{doc.tex}',
      ],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 },
    );
    const log = existsSync(join(dir, 'out.log'))
      ? readFileSync(join(dir, 'out.log'), 'latin1')
      : `${r.stdout ?? ''}${r.stderr ?? ''}`;
    const problems = log
      .split('\n')
      .filter((l) => /^! |Missing character|not set up for use with LaTeX/.test(l))
      .map((l) => l.trim());
    if (r.status !== 0 && problems.length === 0)
      problems.push(`pdflatex exited ${r.status ?? r.signal}: ${log.slice(-800)}`);
    if (!existsSync(join(dir, 'out.pdf')) && problems.length === 0) problems.push('no PDF was written');
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
