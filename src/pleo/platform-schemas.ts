// zod schemas for Pleo's platform endpoints: webhook subscriptions (OpenAPI-generated types, checked at
// compile time below), credential introspection and the installation. The last two have no OpenAPI
// file among Pleo's published ones we hold; their shapes follow Pleo's developer reference pages for
// installations and credential introspection, with only the fields the integration relies on required.
import { z } from 'zod';
import * as optionalFields from '@pleo-export/pleo-api/generated/optional-fields';
import { tolerant } from '@pleo-export/pleo-api/null-tolerance';
import type { components } from '@pleo-export/pleo-api/generated/webhook-subscriptions';
import type { Assert, Extends } from '@pleo-export/pleo-api/schemas';

type S = components['schemas'];

const subscriptionShape = z.object({
  id: z.string().min(1),
  endpointUrl: z.string(),
  eventTypes: z.array(z.string()),
  status: z.enum(['ACTIVE', 'INACTIVE']),
  createdAt: z.string(),
  updatedAt: z.string(),
  customHeaders: z.record(z.string(), z.string()).optional(),
  endpointAuth: z
    .object({
      type: z.enum(['NONE', 'BASIC']).optional(),
      credentials: z
        .object({ username: z.string(), password: z.string(), token: z.string() })
        .partial()
        .optional(),
    })
    .optional(),
  deletedAt: z.string().optional(),
  deletedBy: z.string().optional(),
});

// Read `null` at a field the OpenAPI does not require as absent (null-tolerance.ts).
export const subscriptionSchema = tolerant(subscriptionShape, optionalFields.SubscriptionModel);

export const subscriptionSecretSchema = z.object({
  // Optional in the OpenAPI; without it nothing can be verified, so it is required here.
  secretKey: z.string().startsWith('whsec_', 'expected a Standard Webhooks secret starting with whsec_'),
});

export const introspectionSchema = z.object({
  authMethod: z.string(),
  /** `urn:pleo:company:<uuid>` or `urn:pleo:organization:<uuid>` (spelling varies in Pleo's docs). */
  subjectURN: z.string().min(1),
  scope: z.string().nullish(),
  clientId: z.string().nullish(),
  applicationName: z.string().nullish(),
});

export const installationSchema = z.object({
  id: z.string().min(1),
  applicationId: z.string().nullish(),
  /** `urn:pleo:company:<uuid>`. */
  resource: z.string().min(1),
  status: z.enum(['ACTIVATED', 'INACTIVE', 'AUTHORIZED', 'PENDING_INTEGRATION', 'ERROR']),
  errorCode: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
});

/** Pleo's spec returns the installation unwrapped, unlike every other endpoint; accept `{ data }` too. */
export const installationResponseSchema = z.union([
  installationSchema,
  z.object({ data: installationSchema }).transform((r) => r.data),
]);

export type Subscription = S['SubscriptionModel'];
export type SubscriptionRequest = S['SubscriptionRequest'];
export type Introspection = z.infer<typeof introspectionSchema>;
export type Installation = z.infer<typeof installationSchema>;

export type SchemaAcceptsSubscription = Assert<Extends<Subscription, z.input<typeof subscriptionShape>>>;
