// Which apps' last refresh failed, kept by the startup shell (the status bar's error colour, per app) so
// the Apps view and Switch App can say "refresh failed". In memory only: a restart forgets it, as the
// status bar does. Cleared by a successful refresh, or when the app's tokens change (another window
// refreshed them, or they were replaced by a new authorization).
export class RefreshFailures {
  private readonly failed = new Set<string>();
  private readonly listeners = new Set<(appId: string) => void>();

  has(appId: string): boolean {
    return this.failed.has(appId);
  }

  /** Records one refresh outcome; tells the listeners only when the app's mark changed. */
  note(appId: string, failed: boolean): void {
    if (this.failed.has(appId) === failed) return;
    if (failed) this.failed.add(appId);
    else this.failed.delete(appId);
    for (const listener of this.listeners) listener(appId);
  }

  /** An app that is gone keeps no mark (its id is never reused, but the set must not grow). */
  forget(appId: string): void {
    this.failed.delete(appId);
  }

  onDidChange(listener: (appId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
