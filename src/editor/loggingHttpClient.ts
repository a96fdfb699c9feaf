// Every HTTP request the extension makes goes through here, so the log shows each step (method, URL,
// status, time) — always redacted: no code, token, secret or key ever reaches the output channel.
import type * as vscode from 'vscode';
import type { HttpClient, HttpResponse } from '../core/http/httpClient';
import { redactUrl } from '../core/text/redact';

export function loggingHttpClient(inner: HttpClient, log: vscode.LogOutputChannel): HttpClient {
  const logged = async (method: string, url: string, call: () => Promise<HttpResponse>): Promise<HttpResponse> => {
    const safeUrl = redactUrl(url);
    try {
      const response = await call();
      log.info(`${method} ${safeUrl} → ${response.status} in ${Math.round(response.durationMs)} ms`);
      return response;
    } catch (error) {
      log.warn(`${method} ${safeUrl} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  };
  return {
    postForm: (url, form, headers, options) => logged('POST', url, () => inner.postForm(url, form, headers, options)),
    get: (url, headers, options) => logged('GET', url, () => inner.get(url, headers, options)),
  };
}
