// The supporting APIs an integration reads for pre-export checks (vendors, tax codes, tag groups and
// tags, chart of accounts), answered for every company from the demo chart (packages/demo-company/src/chart.ts):
// minimal, but in the shapes of Pleo's OpenAPI.
import type { FastifyInstance } from 'fastify';
import {
  DEMO_ACCOUNTS,
  DEMO_TAG_GROUPS,
  DEMO_TAX_CODES,
  DEMO_VENDORS,
} from '@pleo-export/demo-company/chart';
import type { SandboxContext } from '../context';
import { companyOf } from '../http/auth';
import { paginate, type PageQuery } from '../http/pagination';
import { json, one } from '../http/reply';
import { stableUuid } from '../ids';
import { SandboxError } from '../state';

const AT = '2026-01-01T00:00:00Z';

type Body = Record<string, unknown>;
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
const matches = (filter: string[] | undefined, value: string | undefined) =>
  !filter?.length || (value !== undefined && filter.includes(value));

function pageOf(q: Record<string, unknown>): PageQuery {
  return { after: one(q.after), before: one(q.before), offset: one(q.offset), limit: one(q.limit) };
}

function vendors(companyId: string) {
  return DEMO_VENDORS.map((v) => ({
    id: stableUuid('vendor', companyId, v.code),
    companyId,
    name: v.name,
    code: v.code,
    externalId: v.code,
    defaultCurrency: v.currency,
    taxRegistrationNumber: v.taxRegistrationNumber,
    state: 'ACTIVE',
    createdAt: AT,
    updatedAt: AT,
  }));
}

function taxCodes(companyId: string) {
  return Object.values(DEMO_TAX_CODES).map((t) => ({
    id: stableUuid('tax-code', companyId, t.code),
    companyId,
    name: `${t.code} (${Number(t.rate) * 100} %)`,
    code: t.code,
    rate: Number(t.rate),
    type: t.type,
    archived: false,
    ingoingTaxAccount: 'ingoingTaxAccount' in t ? t.ingoingTaxAccount : null,
    outgoingTaxAccount: 'outgoingTaxAccount' in t ? t.outgoingTaxAccount : null,
    accountingIntegrationSystem: null,
    createdAt: AT,
    updatedAt: AT,
  }));
}

function tagGroups(companyId: string) {
  return Object.keys(DEMO_TAG_GROUPS).map((code) => ({
    id: stableUuid('tag-group', companyId, code),
    companyId,
    code,
    name: code,
    archived: false,
    metadata: {},
    createdAt: AT,
    updatedAt: AT,
  }));
}

function accounts(companyId: string) {
  return Object.values(DEMO_ACCOUNTS).map((a) => ({
    id: stableUuid('account', companyId, a.code),
    companyId,
    externalId: a.code,
    code: a.code,
    name: a.name,
    archived: false,
  }));
}

export function supportingRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { behaviour } = ctx.state;

  app.post('/v1/vendors:search', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const companyId = companyOf(request.principal, one(q.company_id));
    const b = (request.body ?? {}) as Body;
    const found = vendors(companyId).filter(
      (v) =>
        matches(list(b.codes), v.code) &&
        matches(list(b.externalIds), v.externalId) &&
        matches(list(b.ids), v.id) &&
        matches(list(b.states), v.state) &&
        matches(list(b.taxRegistrationNumbers), v.taxRegistrationNumber) &&
        (typeof b.name !== 'string' || v.name.toLowerCase().includes(b.name.toLowerCase())),
    );
    return json(
      reply,
      200,
      paginate(`vendors/${companyId}`, found, pageOf(q), { company_id: [companyId] }, behaviour),
    );
  });

  app.post('/v0/tax-codes:search', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const companyId = companyOf(request.principal, one(q.company_id));
    const b = (request.body ?? {}) as Body;
    const found = taxCodes(companyId).filter(
      (t) =>
        (b.archived === undefined || b.archived === null || t.archived === b.archived) &&
        matches(list(b.taxCodeIds), t.id) &&
        (typeof b.type !== 'string' || t.type === b.type),
    );
    return json(
      reply,
      200,
      paginate(`tax-codes/${companyId}`, found, pageOf(q), { company_id: [companyId] }, behaviour),
    );
  });

  app.get('/v0/tag-groups', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const companyId = companyOf(request.principal, one(q.company_id));
    return json(reply, 200, { data: tagGroups(companyId) });
  });

  app.get('/v0/tag-groups/:groupId/tags', async (request, reply) => {
    const { groupId } = request.params as { groupId: string };
    const companyId = request.principal.companyId;
    const group = tagGroups(companyId).find((g) => g.id === groupId);
    if (!group) throw new SandboxError(404, 'TAG_GROUP_NOT_FOUND', 'Tag group not found');
    const tags = DEMO_TAG_GROUPS[group.code as keyof typeof DEMO_TAG_GROUPS].map((code) => ({
      id: stableUuid('tag', companyId, group.code, code),
      groupId,
      code,
      name: code,
      archived: false,
      createdAt: AT,
      updatedAt: AT,
    }));
    return json(
      reply,
      200,
      paginate(`tags/${groupId}`, tags, pageOf(request.query as Record<string, unknown>), {}, behaviour),
    );
  });

  app.post('/v1/chart-of-accounts:search', async (request, reply) => {
    const b = (request.body ?? {}) as Body;
    const companyId = companyOf(request.principal, typeof b.companyId === 'string' ? b.companyId : undefined);
    const codes = list(b.codes) ?? (typeof b.code === 'string' ? [b.code] : undefined);
    const found = accounts(companyId).filter(
      (a) =>
        matches(codes, a.code) &&
        matches(list(b.ids), a.id) &&
        (typeof b.externalId !== 'string' || a.externalId === b.externalId) &&
        (typeof b.archived !== 'boolean' || a.archived === b.archived) &&
        (typeof b.name !== 'string' || a.name.toLowerCase().includes(b.name.toLowerCase())),
    );
    return json(
      reply,
      200,
      paginate(
        `accounts/${companyId}`,
        found,
        pageOf(request.query as Record<string, unknown>),
        {},
        behaviour,
      ),
    );
  });
}
