// The upgrade from the single-app settings to named apps, run at every activation but cheap when there is
// nothing to do: it reads settings and globalState (both in memory) and touches SecretStorage only while
// an old setting is still set. The plan is core/apps/legacyMigration.ts; this file carries it out in an
// order that survives an interruption (a window closed halfway) and a second window doing the same:
//   1. add the app (fixed id, so both windows write the same entry) and make it active if none is;
//   2. move each secret: copy to the app's key unless that already holds one, then delete the old key;
//   3. move the globalState the same way;
//   4. clear the old settings, last: while any is set, the next activation finishes the job.
import type * as vscode from 'vscode';
import { appSecretKey, appStateKey } from '../../core/apps/appKeys';
import { withEntry } from '../../core/apps/appList';
import { LEGACY_SECRETS, LEGACY_SETTING_KEYS, LEGACY_STATE, planLegacyMigration, secretStep, type LegacySetting } from '../../core/apps/legacyMigration';
import type { NamedApp } from '../../core/apps/namedApp';
import { secretWrite } from '../../core/tokens/secretWrite';

/** What the migration needs from VS Code; the unit test passes fakes of the same shape. */
export interface MigrationHost {
  /** The user-level value of `authCodeFlow.<key>`, or undefined when it is not set there. */
  userValue(key: string): unknown;
  updateUserValue(key: string, value: unknown): Thenable<void>;
  secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>;
  globalState: Pick<vscode.Memento, 'get' | 'update'>;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
}

/** True when an old setting or an old globalState key is still there: only then does migrate() do anything. */
export function legacyDataPresent(host: Pick<MigrationHost, 'userValue' | 'globalState'>): boolean {
  return LEGACY_SETTING_KEYS.some((key) => host.userValue(key) !== undefined)
    || Object.keys(LEGACY_STATE).some((key) => host.globalState.get(key) !== undefined);
}

/**
 * Moves the single-app settings, secrets and state to the first named app. Returns the app, or undefined
 * when there was nothing to migrate. A failure leaves the old data where it is for the next activation.
 */
export async function migrateLegacyApp(host: MigrationHost): Promise<NamedApp | undefined> {
  if (!legacyDataPresent(host)) return undefined;
  const plan = planLegacyMigration((key: LegacySetting) => host.userValue(key), host.userValue('apps'));
  if (!plan) {
    // Only old globalState is left (its settings were cleared by hand): nothing to attach it to.
    for (const key of Object.keys(LEGACY_STATE)) await host.globalState.update(key, undefined);
    return undefined;
  }
  const { app } = plan;
  if (plan.addApp) {
    await host.updateUserValue('apps', withEntry(host.userValue('apps'), app));
    host.log.info(`Upgrade: the single-app settings became the app "${app.name}".`);
  }
  if (host.userValue('activeApp') === undefined) await host.updateUserValue('activeApp', app.id);

  for (const [from, name] of Object.entries(LEGACY_SECRETS)) {
    const to = appSecretKey(app.id, name);
    const [old, current] = await Promise.all([host.secrets.get(from), host.secrets.get(to)]);
    const step = secretStep(from, to, { old: old !== undefined, new: current !== undefined });
    if (step?.kind === 'move' && old !== undefined) {
      await secretWrite(`Moving the stored ${name} to the app "${app.name}"`, () => host.secrets.store(step.to, old));
    }
    if (step) await secretWrite(`Deleting the old ${name}`, () => host.secrets.delete(from));
  }

  for (const [from, name] of Object.entries(LEGACY_STATE)) {
    const old = host.globalState.get<unknown>(from);
    if (old === undefined) continue;
    const to = appStateKey(app.id, name);
    if (host.globalState.get<unknown>(to) === undefined) await host.globalState.update(to, old);
    await host.globalState.update(from, undefined);
  }

  for (const key of plan.settingsToClear) await host.updateUserValue(key, undefined);
  host.log.info(`Upgrade: the app "${app.name}" has the old secrets, tokens and state; the old settings were cleared.`);
  return app;
}
