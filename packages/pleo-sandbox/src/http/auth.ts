// Who is calling: a company API key (HTTP Basic, key as user, empty password) or an OAuth access token
// (Bearer). Every credential is scoped to one company.
import type { FastifyRequest } from 'fastify';
import { SandboxError } from '../state';
import type { SandboxContext } from '../context';
import type { Principal } from '../oauth';

export function authenticate(ctx: SandboxContext, request: FastifyRequest): Principal {
  const header = request.headers.authorization ?? '';
  const [scheme, value = ''] = header.split(' ', 2);
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const key = colon < 0 ? decoded : decoded.slice(0, colon);
    const company = ctx.state.companyByApiKey(key);
    if (company && (colon < 0 || decoded.slice(colon + 1) === '')) {
      return { companyId: company.id, authMethod: 'API_KEY', scope: API_KEY_SCOPE };
    }
  } else if (/^bearer$/i.test(scheme ?? '')) {
    const principal = ctx.oauth.principal(value);
    if (principal) return principal;
  }
  throw new SandboxError(401, 'UNAUTHORIZED', 'Missing or invalid credentials');
}

/** The company a request acts for: `company_id` may only name the credential's own company. */
export function companyOf(principal: Principal, companyIdParam: unknown): string {
  if (companyIdParam !== undefined && companyIdParam !== principal.companyId) {
    throw new SandboxError(403, 'FORBIDDEN', 'The credential is not allowed to access this company');
  }
  return principal.companyId;
}

export const API_KEY_SCOPE =
  'export-jobs:read export-jobs:write export-items:read accounts:read tax-codes:read tag-groups:read vendors:read';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}
