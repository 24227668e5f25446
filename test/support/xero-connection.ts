// An organisation of the Xero stand-in connected as `pleo-export connect xero` leaves it: the demo
// client's tokens saved encrypted where the adapter reads them, and the adapter's configuration
// pointing at the stand-in. Shared by the adapter's tests, the pipeline test and the bench.
import { xeroConfigSchema, type XeroConfig } from '../../src/accounting-systems/config';
import { xeroConnectionId } from '../../src/accounting-systems/xero/auth';
import { FileTokenStore } from '../../src/pleo/auth';
import type { XeroSandbox } from '@pleo-export/xero-sandbox/server';

export interface StandInConnection {
  tenantId: string;
  tokenDir: string;
  tokenKey: string;
}

/** Signs in to the organisation and stores the tokens; returns them (the bench hunts for them in logs). */
export async function saveStandInTokens(
  xero: XeroSandbox,
  connection: StandInConnection,
): Promise<{ accessToken: string; refreshToken: string }> {
  const tokens = xero.connect();
  await new FileTokenStore({ dir: connection.tokenDir, key: connection.tokenKey }).save(
    xeroConnectionId(connection.tenantId),
    {
      status: 'connected',
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: Date.now() + tokens.expires_in * 1000,
      updatedAt: new Date().toISOString(),
    },
  );
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}

/** The adapter's configuration for the organisation on the stand-in. */
export function standInConfig(
  xero: XeroSandbox,
  connection: StandInConnection,
  config: Partial<XeroConfig> = {},
): XeroConfig {
  return xeroConfigSchema.parse({
    type: 'xero',
    apiUrl: xero.url,
    identityUrl: xero.url,
    loginUrl: xero.url,
    tenantId: connection.tenantId,
    clientId: xero.oauthClient.clientId,
    clientSecret: xero.oauthClient.clientSecret,
    redirectUri: xero.oauthClient.redirectUris[0],
    tokenDir: connection.tokenDir,
    tokenEncryptionKey: connection.tokenKey,
    ...config,
  });
}
