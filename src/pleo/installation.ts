// Credential activation (Pleo's rule for API keys and OAuth alike): before a credential is used, confirm
// it authenticates, resolve the company it belongs to, check it carries the export scopes, and refuse to
// activate otherwise, with a message the person connecting can act on.
import { z } from 'zod';
import { credentialRefused } from './errors';
import { EXPORT_SCOPES } from './auth/oauth-app';
import { dataSchema } from '@pleo-export/pleo-api/schemas';
import {
  installationResponseSchema,
  introspectionSchema,
  type Installation,
  type Introspection,
} from './platform-schemas';
import type { PleoTransport } from './transport';

export interface ActivatedCredential {
  companyId: string;
  /** `company` for a company credential, `organization` for one covering several companies. */
  subject: 'company' | 'organization';
  authMethod: string;
  scopes: string[];
  /** False when Pleo's introspection did not report scopes, so they could not be checked. */
  scopesVerified: boolean;
}

const subjectPattern = /^urn:pleo:(company|organi[sz]ation):(.+)$/i;
const uuid = z.uuid();

export class PleoInstallation {
  constructor(private readonly transport: PleoTransport) {}

  /** GET /v1/introspect: which company or organisation, method and scopes this credential has. */
  async introspect(): Promise<Introspection> {
    const body = await this.transport.request('GET', '/v1/introspect', dataSchema(introspectionSchema));
    return body.data;
  }

  /** GET /v1/installations/me (Pleo's documented connectivity check for API keys). */
  get(companyId?: string): Promise<Installation> {
    return this.transport.request('GET', '/v1/installations/me', installationResponseSchema, {
      params: { company_id: companyId },
    });
  }

  /**
   * Verifies the credential and resolves its company. `expectedCompanyId` is required for organisation
   * credentials (exports are per company) and, for company credentials, must match.
   */
  async activateCredential(
    options: { expectedCompanyId?: string; requiredScopes?: readonly string[] } = {},
  ): Promise<ActivatedCredential> {
    const endpoint = 'GET /v1/introspect';
    const info = await this.introspect();
    const match = subjectPattern.exec(info.subjectURN);
    if (!match || !uuid.safeParse(match[2]).success) {
      throw credentialRefused(
        endpoint,
        `Pleo credential belongs to "${info.subjectURN}", which is neither a company nor an organisation`,
      );
    }
    const subject = match[1]!.toLowerCase() === 'company' ? 'company' : 'organization';
    const ownId = match[2]!.toLowerCase();
    const expected = options.expectedCompanyId?.toLowerCase();
    if (subject === 'organization' && !expected) {
      throw credentialRefused(
        endpoint,
        'This Pleo credential covers an organisation: configure which of its companies this connection exports',
      );
    }
    if (subject === 'company' && expected && expected !== ownId) {
      throw credentialRefused(
        endpoint,
        `This Pleo credential belongs to company ${ownId}, not to the configured company ${expected}: use that company's credential`,
      );
    }
    const scopes = info.scope ? info.scope.split(/\s+/).filter(Boolean) : [];
    const missing = (options.requiredScopes ?? EXPORT_SCOPES).filter((s) => !scopes.includes(s));
    if (info.scope && missing.length > 0) {
      throw credentialRefused(
        endpoint,
        `This Pleo credential lacks the scopes ${missing.join(', ')}: create a key (or re-connect) with them granted`,
      );
    }
    return {
      companyId: expected ?? ownId,
      subject,
      authMethod: info.authMethod,
      scopes,
      scopesVerified: Boolean(info.scope),
    };
  }
}
