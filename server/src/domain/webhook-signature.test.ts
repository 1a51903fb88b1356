import { describe, expect, it } from 'vitest';
import { createWebhookSigner, InvalidSigningSecretError, signingKey, signWebhook } from './webhook-signature.ts';

describe('signWebhook', () => {
  it('matches the Standard Webhooks reference vector', () => {
    const headers = signWebhook(signingKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('stamps unix seconds from the injected clock', () => {
    const sign = createWebhookSigner('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', () => 1614265330_999);
    expect(sign('id', '{}')['webhook-timestamp']).toBe('1614265330');
  });

  it.each([
    ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'must start with "whsec_"'],
    ['whsec_not base64!', 'followed by base64'],
    ['whsec_c2hvcnQ=', 'at least 24 bytes'],
  ])('refuses the secret %s', (secret, message) => {
    expect(() => signingKey(secret)).toThrow(InvalidSigningSecretError);
    expect(() => signingKey(secret)).toThrow(message);
  });
});
