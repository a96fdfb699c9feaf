import * as vscode from 'vscode';
import { CALLBACK_PATH, EXTENSION_ID } from '../extensionIdentity';

/**
 * The redirect URI for the URI-handler mode, as the browser must see it. `asExternalUri` turns the
 * editor's own scheme into something a browser can reach (unchanged in desktop VS Code; an http
 * callback page in web and remote editors such as code-server). In code-server each result carries a
 * one-time request id, so it must be computed afresh for every authorization request. Nothing the
 * provider returns (state, code) may be put into this URI: a parameter already in it would win over
 * the provider's.
 */
export async function uriHandlerRedirectUri(): Promise<string> {
  const internal = vscode.Uri.parse(`${vscode.env.uriScheme}://${EXTENSION_ID}${CALLBACK_PATH}`);
  const external = await vscode.env.asExternalUri(internal);
  // toString(true): keep the query exactly as the editor built it (its values are already encoded).
  return external.toString(true);
}
