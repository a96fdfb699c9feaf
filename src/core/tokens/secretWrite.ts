/**
 * A write to (or delete from) the editor's secret storage that cannot pass for a success when it failed.
 * SecretStorage rejects when the OS keychain is locked or missing (on Linux, no running keyring); the
 * caller must then tell the user that nothing was saved instead of announcing "Authorized".
 */
import { OAuthError } from '../errors/oauthError';

export const STORAGE_FAILED = 'storage_failed';

/** Runs `write`; a rejection becomes a `storage_failed` OAuthError that names `what` but not the value. */
export async function secretWrite(what: string, write: () => PromiseLike<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw new OAuthError({
      code: STORAGE_FAILED,
      // The underlying message is left out (kept as the cause, for the log): it could quote the value.
      description: `${what} could not be saved in the editor's secret storage, so nothing was kept.`,
      hint: 'Make sure the system keychain is available and unlocked (on Linux, a keyring such as GNOME Keyring or KWallet), then try again.',
      cause: error,
    });
  }
}
