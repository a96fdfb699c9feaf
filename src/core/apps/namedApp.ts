/**
 * One of the user's applications: a name they chose, a stable id that keys its secrets, and its
 * configuration. The id never changes (renaming keeps the secrets and tokens); the name is what the
 * status bar, the Apps view and the pickers show.
 */
import type { AppConfiguration } from '../providers/appConfiguration';

export interface NamedApp {
  /** Stable, generated once; used in SecretStorage keys, never shown as the app's name. */
  readonly id: string;
  readonly name: string;
  readonly configuration: AppConfiguration;
}
