// zod schemas for the Export API v3 responses the integration reads. They mirror Pleo's OpenAPI
// (src/generated/export.ts); the compile-time checks at the end keep them from drifting apart.
// Each reads `null` at a field the OpenAPI does not require as absent (null-tolerance.ts).
import { z } from 'zod';
import * as optionalFields from './generated/optional-fields';
import { tolerant } from './null-tolerance';
import type { CursorPageInfo, ExportItem, ExportJob, ExportJobItem } from './types';

const nullish = <T extends z.ZodTypeAny>(schema: T) => schema.nullish();

export const moneySchema = z.object({ currency: z.string().min(1), value: z.number() });
const amountsSchema = z.object({ inSupplierCurrency: moneySchema, inWalletCurrency: moneySchema });

const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  code: nullish(z.string()),
  identifier: nullish(z.string()),
});

const exportItemShape = z.object({
  _links: z.object({
    api: z.record(z.string(), z.string()).optional(),
    mobile: z.record(z.string(), z.string()).optional(),
    web: z.record(z.string(), z.string()).optional(),
  }),
  accountingEntryId: z.string().min(1),
  companyId: z.string().min(1),
  type: z.string().min(1),
  subType: nullish(z.string()),
  date: z.string().min(1),
  amount: amountsSchema,
  accountingEntryLines: z
    .array(
      z.object({
        accountingEntryLineId: z.string().min(1),
        lineAmount: amountsSchema,
        netAmount: amountsSchema,
        account: nullish(accountSchema),
        tags: nullish(
          z.array(z.object({ code: z.string(), groupCode: z.string(), id: z.string() }).nullable()),
        ),
        tax: nullish(
          z.object({
            amount: amountsSchema,
            id: z.string(),
            rate: z.number(),
            type: z.string(),
            code: nullish(z.string()),
            ingoingTaxAccount: z.string().optional(),
            outgoingTaxAccount: z.string().optional(),
          }),
        ),
      }),
    )
    .min(1),
  additionalInformation: z.object({
    reconciliationId: z.string(),
    attendees: nullish(z.array(z.string().nullable())),
    reconciledEntries: nullish(z.array(z.string().nullable())),
    invoiceInformation: nullish(
      z.object({
        invoiceNumber: z.string(),
        invoiceDate: z.string(),
        status: z.string(),
        dueDate: nullish(z.string()),
        paymentDate: nullish(z.string()),
        supplierBankAccount: nullish(
          z.object({
            bankName: z.string(),
            country: z.string(),
            accountNumber: nullish(z.string()),
            bankCode: nullish(z.string()),
            bic: nullish(z.string()),
            iban: nullish(z.string()),
          }),
        ),
      }),
    ),
  }),
  bookkeeping: nullish(z.object({ method: z.string() })),
  contraAccount: nullish(accountSchema),
  files: nullish(z.array(z.object({ url: z.string(), type: z.string(), size: z.number() }).nullable())),
  note: nullish(z.string()),
  servicePeriod: nullish(z.object({ from: z.string(), to: z.string() })),
  supplier: nullish(
    z.object({
      name: nullish(z.string()),
      code: nullish(z.string()),
      account: nullish(z.string()),
      categoryCode: nullish(z.string()),
      country: nullish(z.string()),
      taxIdentifier: nullish(z.string()),
      identifier: nullish(z.string()),
    }),
  ),
  team: nullish(z.object({ id: z.string(), name: z.string(), code: nullish(z.string()) })),
  user: nullish(z.object({ id: z.string(), name: z.string(), code: nullish(z.string()) })),
  vendor: nullish(
    z.object({
      id: z.string(),
      name: z.string(),
      defaultCurrency: z.string(),
      code: z.string().optional(),
      externalId: z.string().optional(),
      country: z.string().optional(),
      registrationNumber: z.string().optional(),
      taxRegistrationNumber: z.string().optional(),
    }),
  ),
});

const exportJobShape = z.object({
  id: z.string(),
  companyId: z.string(),
  status: z.enum(['pending', 'in_progress', 'failed', 'completed', 'completed_with_errors']),
  createdAt: z.string(),
  createdBy: z.string().nullish(),
  isInteractive: z.boolean(),
  numberOfItems: z.number().int().nonnegative(),
  vendorBasedBookkeeping: z.boolean(),
  expiresIn: z.number(),
  lastUpdatedAt: nullish(z.string()),
  startedAt: nullish(z.string()),
  completedAt: nullish(z.string()),
  expiredAt: nullish(z.string()),
  failureReason: nullish(z.string()),
  failureReasonType: z.string().optional(),
});

const exportJobItemShape = z.object({
  accountingEntryId: z.string(),
  exportJobId: z.string(),
  status: z.enum(['pending', 'in_progress', 'failed', 'successful', 'abandoned']),
  exportedAt: nullish(z.string()),
  externalId: nullish(z.string()),
  externalUrl: nullish(z.string()),
  failureReason: nullish(z.string()),
  failureReasonType: z.string().optional(),
});

const pageInfoShape = z.object({
  hasNextPage: z.boolean(),
  hasPreviousPage: z.boolean(),
  // The OpenAPI says optional string; the reference's examples send null on the last page: accept both.
  endCursor: z
    .string()
    .nullish()
    .transform((c) => c ?? undefined),
  startCursor: z.string().nullish(),
  total: z.number().optional(),
  currentRequestPagination: z.object({ parameters: z.record(z.string(), z.array(z.string())) }).loose(),
});

export const exportItemSchema = tolerant(exportItemShape, optionalFields.ExportItemV3);
export const exportJobSchema = tolerant(exportJobShape, optionalFields.ExportJobV3);
export const exportJobItemSchema = tolerant(exportJobItemShape, optionalFields.ExportJobItemV3);
export const pageInfoSchema = tolerant(pageInfoShape, optionalFields.CursorPageInfo);

/** A cursor page; "there is a next page" without a cursor to reach it would silently truncate a list. */
export const pageSchema = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ data: z.array(item), pagination: pageInfoSchema }).superRefine((page, ctx) => {
    if (page.pagination.hasNextPage && !page.pagination.endCursor) {
      ctx.addIssue({
        code: 'custom',
        path: ['pagination', 'endCursor'],
        message: 'hasNextPage is true but endCursor is missing',
      });
    }
  });
export const dataSchema = <T extends z.ZodTypeAny>(item: T) => z.object({ data: item });
/** Lists Pleo returns whole, without pagination (e.g. tag groups). */
export const listSchema = <T extends z.ZodTypeAny>(item: T) => z.object({ data: z.array(item) });

export const itemUpdateResultSchema = z.object({
  data: z.array(exportJobItemSchema),
  errors: z.array(z.object({ accountingEntryId: z.string(), message: z.string(), type: z.string() })),
});

// Compile-time agreement with the OpenAPI-generated types: everything Pleo's contract allows is accepted.
// The schemas are deliberately a little wider (any currency or country string, `null` where Pleo's
// examples send it): an unexpected value then fails only the one item in the accounting core, with a
// message, instead of failing the whole page here.
export type Assert<T extends true> = T;
export type Extends<A, B> = [A] extends [B] ? true : false;
export type SchemaAcceptsExportItem = Assert<Extends<ExportItem, z.input<typeof exportItemShape>>>;
// Statuses are the exception: the OpenAPI types them as plain strings, we insist on the documented enum.
export type SchemaAcceptsExportJob = Assert<
  Extends<Omit<ExportJob, 'status'>, Omit<z.input<typeof exportJobShape>, 'status'>>
>;
export type SchemaAcceptsJobItem = Assert<
  Extends<Omit<ExportJobItem, 'status'>, Omit<z.input<typeof exportJobItemShape>, 'status'>>
>;
export type SchemaAcceptsPageInfo = Assert<Extends<CursorPageInfo, z.input<typeof pageInfoShape>>>;

/** Each zod issue as `path` (dot-separated, e.g. `data.0.status`) and message. */
export function issueList(error: z.ZodError, limit = 5): { path: string; message: string }[] {
  return error.issues
    .slice(0, limit)
    .map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** "accountingEntryLines.0.lineAmount.inWalletCurrency.value: expected number, received string". */
export function describeIssues(error: z.ZodError): string {
  return issueList(error)
    .map((issue) => `${issue.path || '(item)'}: ${issue.message}`)
    .join('; ');
}
