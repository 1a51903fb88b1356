import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** The headers of a Standard Webhooks signature. */
export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** A `SIGNING_SECRET` that is not `whsec_` followed by base64. */
export class InvalidSigningSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSigningSecretError';
  }
}

/** The HMAC key of a Standard Webhooks secret: the bytes of the base64 after `whsec_`. */
export function signingKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new InvalidSigningSecretError(`the signing secret must start with "${SECRET_PREFIX}"`);
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new InvalidSigningSecretError(`the signing secret must be "${SECRET_PREFIX}" followed by base64`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 24) throw new InvalidSigningSecretError('the signing secret must hold at least 24 bytes (32 recommended)');
  return key;
}

/**
 * Signs one message the Standard Webhooks way: `v1,` then the base64 HMAC-SHA256 of
 * `<id>.<timestamp>.<body>` under `key`. `timestampSeconds` is unix seconds; the receiver checks
 * it against its own clock to refuse replays. Pure: the caller passes the instant.
 */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): WebhookSignatureHeaders {
  const timestamp = String(Math.floor(timestampSeconds));
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/** Signs a message body under its id; the headers to add to the request that carries it. */
export type WebhookSigner = (id: string, body: string) => WebhookSignatureHeaders;

/** A signer for a `whsec_` secret, stamping each message with `nowMs()` in unix seconds. */
export function createWebhookSigner(secret: string, nowMs: () => number): WebhookSigner {
  const key = signingKey(secret);
  return (id, body) => signWebhook(key, id, nowMs() / 1_000, body);
}
