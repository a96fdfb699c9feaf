// An in-memory AppRegistry for unit tests of the Apps UI: the contract's behaviour, nothing stored.
import type { NamedApp } from '../../../src/core/apps/namedApp';
import type { AppConfiguration } from '../../../src/core/providers/appConfiguration';
import type { AppRegistry } from '../../../src/editor/apps/appRegistry';

export class FakeAppRegistry implements AppRegistry {
  private apps: NamedApp[];
  private activeId: string | undefined;
  private readonly listeners = new Set<() => void>();
  /** Every setActive call, in order: the tests check that only a well-formed item activates an app. */
  readonly activations: string[] = [];
  changes = 0;

  constructor(apps: readonly NamedApp[], activeId?: string) {
    this.apps = [...apps];
    this.activeId = activeId ?? apps[0]?.id;
  }

  list(): readonly NamedApp[] {
    return this.apps;
  }

  active(): NamedApp | undefined {
    return this.apps.find((app) => app.id === this.activeId);
  }

  byId(id: string): NamedApp | undefined {
    return this.apps.find((app) => app.id === id);
  }

  async setActive(id: string): Promise<void> {
    if (!this.byId(id)) throw new Error(`No app ${id}`);
    this.activations.push(id);
    this.activeId = id;
    this.fire();
  }

  async add(name: string, configuration: AppConfiguration): Promise<NamedApp> {
    const app = { id: `app-${this.apps.length + 1}`, name, configuration };
    this.apps.push(app);
    this.activeId = app.id;
    this.fire();
    return app;
  }

  async update(id: string, configuration: AppConfiguration): Promise<void> {
    this.apps = this.apps.map((app) => (app.id === id ? { ...app, configuration } : app));
    this.fire();
  }

  async remove(id: string): Promise<void> {
    this.apps = this.apps.filter((app) => app.id !== id);
    if (this.activeId === id) this.activeId = undefined;
    this.fire();
  }

  readonly onDidChange = (listener: () => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  private fire(): void {
    this.changes += 1;
    for (const listener of this.listeners) listener();
  }
}
