// Read-only editors for what the extension shows rather than writes: the tokens view, API responses and
// the walkthrough's request previews. They are virtual documents (a content provider), so VS Code never
// saves them to disk or to hot-exit backups, and the user cannot edit them by mistake.
import * as vscode from 'vscode';

export const READ_ONLY_SCHEME = 'authcodeflow-view';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  private readonly registration: vscode.Disposable;
  private readonly closeWatch: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, this);
    // Drop the text (it may hold revealed tokens) once its editor is closed.
    this.closeWatch = vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === READ_ONLY_SCHEME) this.contents.delete(document.uri.toString());
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This view is no longer available: run its command again.';
  }

  /** The document for `name` (e.g. "Tokens.md"); showing the same name again replaces its text. */
  uriFor(name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${name}` });
  }

  /** Opens (or updates and focuses) `name` with `content` in `language`. */
  async show(name: string, content: string, language: string): Promise<vscode.TextEditor> {
    const uri = this.uriFor(name);
    this.contents.set(uri.toString(), content);
    this.changes.fire(uri);
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== language) document = await vscode.languages.setTextDocumentLanguage(document, language);
    return vscode.window.showTextDocument(document, { preview: false });
  }

  /** Replaces the text of `name` if it is open, e.g. so a revealed token does not outlive a sign-out. */
  replaceIfOpen(name: string, content: string): void {
    const uri = this.uriFor(name);
    if (!this.contents.has(uri.toString())) return;
    this.contents.set(uri.toString(), content);
    this.changes.fire(uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.closeWatch.dispose();
    this.changes.dispose();
    this.contents.clear();
  }
}
