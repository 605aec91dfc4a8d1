/**
 * File names from URI paths, which always use `/` (also for Windows files and in the browser,
 * where there is no `path` module): the extension's code names files through these.
 */

/** The last segment of a `/`-separated path: `/a/b/problem1.bp.yaml` → `problem1.bp.yaml`. */
export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** All but the last segment, as `path.posix.dirname` gives it: `/a/b/c.yaml` → `/a/b`, `/c.yaml` → `/`. */
export function folderPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
}
