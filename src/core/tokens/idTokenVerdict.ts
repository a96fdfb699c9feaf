// The verdict on a token set's ID token, as stored with the set: its own leaf, so tokenSet.ts does not
// depend on the verification code that produces it.

/** Stored with the token set: how its ID token was checked. Never a token, a key or a secret. */
export type IdTokenVerification =
  | {
    status: 'verified';
    /** The `kid` of the issuer's key that verified the signature; absent when the token named none. */
    keyId?: string;
    /** The JWS algorithm, e.g. RS256. */
    alg: string;
    /** The issuer whose keys verified it. */
    issuer: string;
    /** Epoch ms. */
    verifiedAt: number;
  }
  | {
    status: 'not-verified';
    /** Why not, as a sentence fragment: "no issuer configured". */
    reason: string;
    /** Epoch ms. */
    at: number;
  };
