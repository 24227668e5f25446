// OAuth 2.0 (on Pleo's auth host; here on the sandbox's own origin) and the credential endpoints
// `/v1/introspect` and `/v1/installations/me` an integration uses to learn whom it acts for.
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';
import { authenticate } from '../http/auth';
import { json } from '../http/reply';
import { stableUuid } from '../ids';
import { oauthError } from '../oauth';

export function oauthRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  app.get('/oauth/authorize', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    // The demo user approves at once; `company_id` (a sandbox extension) picks another seeded company.
    const companyId =
      q.company_id && ctx.state.companies.has(q.company_id) ? q.company_id : ctx.demoCompanyId;
    try {
      return reply.redirect(ctx.oauth.authorize(q, companyId), 302);
    } catch (err) {
      return oauthError(reply, err);
    }
  });

  app.post('/oauth/token', async (request, reply) => {
    try {
      const tokens = ctx.oauth.token(
        (request.body ?? {}) as Record<string, string>,
        request.headers.authorization,
      );
      return reply.status(200).header('cache-control', 'no-store').send(tokens);
    } catch (err) {
      return oauthError(reply, err);
    }
  });

  app.post('/oauth/token/introspect', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    return reply.status(200).send(ctx.oauth.introspect(form.token ?? ''));
  });

  app.get('/v1/introspect', async (request, reply) => {
    const p = authenticate(ctx, request);
    return json(reply, 200, {
      data: {
        authMethod: p.authMethod,
        clientId: p.clientId ?? null,
        scope: p.scope,
        applicationName: p.authMethod === 'OAUTH' ? 'Sandbox integration' : 'Sandbox API key',
        subjectURN: `urn:pleo:company:${p.companyId}`,
      },
    });
  });

  app.get('/v1/installations/me', async (request, reply) => {
    const p = authenticate(ctx, request);
    const at = '2026-01-01T00:00:00Z';
    // InstallationResponse is returned unwrapped, as Pleo's installations spec declares.
    return json(reply, 200, {
      id: stableUuid('installation', p.companyId, p.clientId ?? 'api-key'),
      applicationId: stableUuid('application', p.clientId ?? 'api-key'),
      resource: `urn:pleo:company:${p.companyId}`,
      status: 'ACTIVATED',
      createdAt: at,
      updatedAt: at,
    });
  });
}
