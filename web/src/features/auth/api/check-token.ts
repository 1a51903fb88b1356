import type { Client } from '@urql/core';
import { describeError, isUnauthenticated } from '../../../utils/graphql-errors.ts';
import { TokenCheckQuery } from './auth-documents.ts';

/** Whether the server takes a token, and if not, why in words. */
export type TokenCheckResult = { accepted: true } | { accepted: false; message: string };

export const TOKEN_REFUSED = 'This token was not accepted. Check it and try again.';

/** Asks the server, through a client that sends the token to try, whether it accepts it. */
export async function checkToken(client: Client): Promise<TokenCheckResult> {
  const result = await client.query(TokenCheckQuery, {}).toPromise();
  if (!result.error) return { accepted: true };
  return { accepted: false, message: isUnauthenticated(result.error) ? TOKEN_REFUSED : describeError(result.error) };
}
