/**
 * A scripted HttpClient for unit tests: records every request and answers with whatever the test says,
 * including throwing, so token-endpoint behaviour can be tested without a network.
 */
import type { HttpClient, HttpRequestOptions, HttpResponse } from '../../../src/core/http/httpClient';

export interface RecordedRequest {
  method: 'GET' | 'POST';
  url: string;
  form?: Record<string, string>;
  headers: Record<string, string>;
  options: HttpRequestOptions;
}

export type FakeAnswer = HttpResponse | Error;

export class FakeHttpClient implements HttpClient {
  readonly requests: RecordedRequest[] = [];

  constructor(private readonly answer: (request: RecordedRequest) => FakeAnswer) {}

  async postForm(
    url: string,
    form: Readonly<Record<string, string>>,
    headers: Readonly<Record<string, string>> = {},
    options: HttpRequestOptions = {},
  ): Promise<HttpResponse> {
    return this.respond({ method: 'POST', url, form: { ...form }, headers: { ...headers }, options });
  }

  async get(url: string, headers: Readonly<Record<string, string>> = {}, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    return this.respond({ method: 'GET', url, headers: { ...headers }, options });
  }

  /** The only request made; fails the test when there were none or several. */
  get onlyRequest(): RecordedRequest {
    if (this.requests.length !== 1) {
      throw new Error(`Expected exactly one request, saw ${this.requests.length}.`);
    }
    return this.requests[0] as RecordedRequest;
  }

  private respond(request: RecordedRequest): HttpResponse {
    this.requests.push(request);
    const answer = this.answer(request);
    if (answer instanceof Error) {
      throw answer;
    }
    return answer;
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    durationMs: 1,
  };
}

export function textResponse(status: number, body: string, contentType: string): HttpResponse {
  return { status, headers: { 'content-type': contentType }, body, durationMs: 1 };
}
