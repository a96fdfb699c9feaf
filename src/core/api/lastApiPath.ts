/**
 * The path Call the API last sent, kept so that Insert Code Snippet writes the call the user just made
 * (not the bare API base URL) and the next Call the API offers it again. A path is not a secret, but it
 * may name records (/constituents/280), so it is kept per app (API base URL and application ID), and only
 * when nothing in it looks like a credential: a path typed with `?api_key=…` or a JWT in it is neither
 * stored outside secret storage nor written into a snippet.
 */
import type { AppConfiguration } from '../providers/appConfiguration';
import { redactText } from '../text/redact';
import { apiBaseHref, resolveApiUrl } from './apiCall';

/** What is stored: the path relative to the API base URL, and the app it was called with. */
export interface RememberedApiPath {
  apiBaseUrl: string;
  clientId: string;
  /** Starts with "/", e.g. "/api/me?limit=1"; appended to apiBaseUrl as the snippets do. */
  path: string;
}

type AppIdentity = Pick<AppConfiguration, 'apiBaseUrl' | 'clientId'>;

/** Query parameter names that carry credentials besides the OAuth ones redactText knows (api_key, sig, …). */
const CREDENTIAL_PARAMETER = /(^|[^a-z])(api-?key|key|secret|token|password|passwd|pwd|sig|signature|session|sessionid|auth|credentials?)([^a-z]|$)/i;

/**
 * The record to keep for a target Call the API sent, or undefined when it must not be kept: it cannot be
 * written relative to the API base URL, or its query or path carries something credential-like.
 */
export function apiPathToRemember(config: AppIdentity, target: string): RememberedApiPath | undefined {
  let url: URL;
  let base: string;
  try {
    url = resolveApiUrl(config.apiBaseUrl, target);
    base = apiBaseHref(config.apiBaseUrl);
  } catch {
    return undefined;
  }
  // The snippets append the path to the base URL, so only a URL under it can be written that way.
  if (!url.href.startsWith(`${base}/`)) return undefined;
  const path = url.href.slice(base.length);
  if (carriesCredential(url, path)) return undefined;
  return { apiBaseUrl: config.apiBaseUrl, clientId: config.clientId, path };
}

/** The remembered path for the app configured now; undefined for another app or a damaged record. */
export function rememberedApiPath(stored: unknown, config: AppIdentity): string | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const record = stored as Partial<RememberedApiPath>;
  if (record.apiBaseUrl !== config.apiBaseUrl || record.clientId !== config.clientId || typeof record.path !== 'string') return undefined;
  // Checked again on the way out: the record lives in editor state, which anything on the machine can edit.
  return apiPathToRemember(config, record.path)?.path === record.path ? record.path : undefined;
}

function carriesCredential(url: URL, path: string): boolean {
  if (redactText(path) !== path) return true;
  for (const name of url.searchParams.keys()) {
    if (CREDENTIAL_PARAMETER.test(name)) return true;
  }
  return false;
}
