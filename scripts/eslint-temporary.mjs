// node scripts/eslint-temporary.mjs: rewrites eslint.temporary.mjs to switch off, per rule and
// file, every ESLint finding in the tree as it is now. For issue 12's parallel work only: the
// lead's one repo-wide lint pass fixes the findings, then deletes this script and that list.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { REPO_ROOT } from './vscode/install.mjs';

const LIST = join(REPO_ROOT, 'eslint.temporary.mjs');
const HEADER = `// Temporary (issue 12): lint findings in files that other engineers are editing in parallel,
// switched off per rule and file so that npm test passes meanwhile (written by
// scripts/eslint-temporary.mjs). The lead's one repo-wide pass (npx eslint . --fix, then the rest
// by hand) fixes them and empties this list. The counts are the findings at the time.
`;

writeFileSync(LIST, `${HEADER}export const TEMPORARY = [];\n`);
const results = await new ESLint({ cwd: REPO_ROOT }).lintFiles(['.']);
const byRule = new Map();
for (const r of results) {
  for (const m of r.messages) {
    if (!m.ruleId) throw new Error(`${r.filePath}:${m.line}: ${m.message}`); // a parse error is not a finding
    const files = byRule.get(m.ruleId) ?? new Map();
    const file = relative(REPO_ROOT, r.filePath);
    byRule.set(m.ruleId, files.set(file, (files.get(file) ?? 0) + 1));
  }
}
const blocks = [...byRule.keys()].sort().map((rule) => {
  const files = [...byRule.get(rule)].sort(([a], [b]) => a.localeCompare(b));
  const total = files.reduce((n, [, count]) => n + count, 0);
  const lines = files.map(([file, count]) => `      '${file}', // ${count}`).join('\n');
  return `  {\n    // ${total} finding${total === 1 ? '' : 's'}\n    files: [\n${lines}\n    ],\n    rules: { '${rule}': 'off' },\n  },\n`;
});
writeFileSync(LIST, `${HEADER}export const TEMPORARY = [\n${blocks.join('')}];\n`);
console.log(
  `${LIST}: ${[...byRule.values()].reduce((n, f) => n + [...f.values()].reduce((a, b) => a + b, 0), 0)} findings in ${blocks.length} rules`,
);
