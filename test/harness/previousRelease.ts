// The extension as users had it before named apps (one app in `authCodeFlow.*` settings, secrets under
// `authCodeFlow.clientSecret` / `.subscriptionKey` / `.tokenSet`), built from git, so the upgrade suite
// installs what users really have installed and lets the new version migrate it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { editorCacheRoot, repoRoot } from './editorPaths';

/** The last commit with the single-app storage (issue 10's release). */
export const SINGLE_APP_RELEASE = 'ec00cce';

/** Builds (once per machine, cached beside the editor) the .vsix of `commit` and returns its path. */
export function previousReleaseVsix(commit = SINGLE_APP_RELEASE): string {
  const root = repoRoot();
  const full = execFileSync('git', ['rev-parse', '--verify', `${commit}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
  const cached = join(editorCacheRoot(), `auth-code-flow-${full.slice(0, 12)}.vsix`);
  if (existsSync(cached)) return cached;
  mkdirSync(editorCacheRoot(), { recursive: true });
  const work = mkdtempSync(join(editorCacheRoot(), 'previous-release-'));
  try {
    // git archive: the files of that commit, nothing of the working tree.
    execFileSync('bash', ['-c', `git archive ${full} | tar -x -C "${work}"`], { cwd: root, stdio: 'pipe' });
    // Its dependencies are this checkout's (the same axios and build tools; newer ones are unused there).
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
    const built = spawnSync(process.execPath, ['scripts/packageExtension.mjs'], { cwd: work, encoding: 'utf8', timeout: 240_000 });
    if (built.status !== 0) {
      throw new Error(`Could not package ${commit} for the upgrade test (${built.status ?? built.signal}):\n${built.stdout}\n${built.stderr}`);
    }
    renameSync(join(work, 'auth-code-flow.vsix'), cached);
    return cached;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
