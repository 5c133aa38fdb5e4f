/** A validated authorization request, kept with its flow until the code is issued. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: 'code';
  responseMode: 'query' | 'fragment' | 'form_post' | 'pi.flow';
  scope: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  prompt?: 'login' | 'none' | 'consent';
  maxAge?: number;
  loginHint?: string;
  acrValues?: string[];
}
