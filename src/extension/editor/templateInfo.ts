/**
 * New Model File's templates are the model files in the extension's examples/ folder (they ship
 * in the .vsix): the lecture notes' three problems, XOR and a small classifier. This reads a
 * template's title and blurb from its text. Pure (no `vscode`).
 */
import { MODEL_FILE_PATTERN } from '../../model/types';

export interface TemplateInfo {
  readonly fileName: string;
  /** The model's `name`. */
  readonly label: string;
  /** The first comment line (YAML), if any. */
  readonly detail?: string;
}

export function templateInfo(fileName: string, text: string): TemplateInfo {
  const yamlName = /^name:[ \t]*(['"]?)(.*?)\1[ \t]*(?:#.*)?$/m.exec(text);
  const jsonName = /^\s*"name"\s*:\s*"((?:[^"\\]|\\.)*)"/m.exec(text);
  const label =
    (fileName.toLowerCase().endsWith('.json') ? jsonName?.[1] : yamlName?.[2])?.trim() ||
    fileName.replace(MODEL_FILE_PATTERN, '');
  const comment = /^#[ \t]*(.+)$/m.exec(text)?.[1]?.trim();
  return { fileName, label, ...(comment ? { detail: comment } : {}) };
}

/** The seed problems first (in their order), then the rest alphabetically. */
export function orderTemplates<T extends { readonly fileName: string }>(items: readonly T[]): T[] {
  const rank = (f: string) => (/^problem/i.test(f) ? 0 : 1);
  return [...items].sort(
    (a, b) => rank(a.fileName) - rank(b.fileName) || a.fileName.localeCompare(b.fileName, 'en', { numeric: true }),
  );
}

/** `stem.bp.yaml`, `stem-2.bp.yaml`, … (the stem ends at the first dot): the first name `taken` does not hold. */
export function uniqueName(fileName: string, taken: (name: string) => boolean): string {
  if (!taken(fileName)) return fileName;
  const dot = fileName.indexOf('.', 1);
  const [stem, ext] = dot < 0 ? [fileName, ''] : [fileName.slice(0, dot), fileName.slice(dot)];
  for (let k = 2; ; k++) {
    const candidate = `${stem}-${k}${ext}`;
    if (!taken(candidate)) return candidate;
  }
}
