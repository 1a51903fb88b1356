import { gql } from '@urql/core';

/** The smallest operation there is: answered for any valid token, refused for any other. */
export const TokenCheckQuery = gql<{ __typename: string }, Record<string, never>>(`
  query TokenCheck {
    __typename
  }
`);
