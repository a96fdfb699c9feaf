/**
 * application/x-www-form-urlencoded as the WHATWG URL standard defines it (space becomes `+`, everything
 * but ALPHA / DIGIT / `*-._` is percent-encoded as UTF-8). RFC 6749 Appendix B prescribes this encoding
 * for token request bodies and §2.3.1 for the client_id and secret inside HTTP Basic credentials.
 * URLSearchParams implements exactly that serializer, so it is used instead of a hand-written one.
 */

/** One value, encoded for use inside a form body or Basic credentials. */
export function formUrlEncodeComponent(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** A whole form body. Keys keep their insertion order, which keeps request previews predictable. */
export function formUrlEncode(form: Readonly<Record<string, string>>): string {
  return new URLSearchParams(Object.entries(form)).toString();
}
