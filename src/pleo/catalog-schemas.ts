// zod schemas for the company's reference data the pre-export checks read from Pleo: vendors, tax codes,
// tag groups and tags, chart of accounts. They mirror the OpenAPI-generated types (packages/pleo-api/src/generated);
// the compile-time checks at the end keep them from drifting apart. Each reads `null` at a field the
// OpenAPI does not require as absent (null-tolerance.ts).
import { z } from 'zod';
import * as optionalFields from '@pleo-export/pleo-api/generated/optional-fields';
import { tolerant } from '@pleo-export/pleo-api/null-tolerance';
import type { components as Vendors } from '@pleo-export/pleo-api/generated/vendors';
import type { components as TaxCodes } from '@pleo-export/pleo-api/generated/tax-code';
import type { components as Tags } from '@pleo-export/pleo-api/generated/tags';
import type { components as Accounts } from '@pleo-export/pleo-api/generated/accounts-api';
import type { Assert, Extends } from '@pleo-export/pleo-api/schemas';

const vendorShape = z.object({
  id: z.string().min(1),
  companyId: z.string().min(1),
  name: z.string(),
  defaultCurrency: z.string(),
  state: z.enum(['DRAFT', 'ACTIVE', 'ARCHIVED']),
  code: z.string().optional(),
  externalId: z.string().optional(),
  // Any code: the enum is long and grows; an unknown country must not fail a whole vendor page.
  country: z.string().optional(),
  registrationNumber: z.string().optional(),
  taxRegistrationNumber: z.string().optional(),
  accountingSystem: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});

const taxCodeShape = z.object({
  id: z.string().min(1),
  companyId: z.string().min(1),
  name: z.string(),
  rate: z.number(),
  type: z.enum(['inclusive', 'exclusive', 'reverse']),
  archived: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  code: z.string().nullish(),
  ingoingTaxAccount: z.string().nullish(),
  outgoingTaxAccount: z.string().nullish(),
  accountingIntegrationSystem: z.string().nullish(),
});

const tagGroupShape = z.object({
  id: z.string().min(1),
  companyId: z.string().min(1),
  code: z.string(),
  name: z.string(),
  archived: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const tagShape = z.object({
  id: z.string().min(1),
  groupId: z.string().min(1),
  code: z.string(),
  name: z.string().optional(),
  archived: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const bookkeepingAccountShape = z.object({
  id: z.string().min(1),
  companyId: z.string().min(1),
  externalId: z.string(),
  name: z.string(),
  archived: z.boolean(),
  code: z.string().nullish(),
  taxCodeExternalId: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export const vendorSchema = tolerant(vendorShape, optionalFields.VendorResponse);
export const taxCodeSchema = tolerant(taxCodeShape, optionalFields.TaxCodeModel);
export const tagGroupSchema = tolerant(tagGroupShape, optionalFields.TagGroupModel);
export const tagSchema = tolerant(tagShape, optionalFields.TagModel);
export const bookkeepingAccountSchema = tolerant(
  bookkeepingAccountShape,
  optionalFields.BookkeepingAccountRestModelV1,
);

type Vendor = Vendors['schemas']['VendorResponse'];
export type SchemaAcceptsVendor = Assert<Extends<Vendor, z.input<typeof vendorShape>>>;
export type SchemaAcceptsTaxCode = Assert<
  Extends<TaxCodes['schemas']['TaxCodeModel'], z.input<typeof taxCodeShape>>
>;
export type SchemaAcceptsTagGroup = Assert<
  Extends<Tags['schemas']['TagGroupModel'], z.input<typeof tagGroupShape>>
>;
export type SchemaAcceptsTag = Assert<Extends<Tags['schemas']['TagModel'], z.input<typeof tagShape>>>;
export type SchemaAcceptsAccount = Assert<
  Extends<Accounts['schemas']['BookkeepingAccountRestModelV1'], z.input<typeof bookkeepingAccountShape>>
>;
