// Replies in Pleo's media type.
import type { FastifyReply } from 'fastify';
import { JSON_TYPE } from './errors';

export function json(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.status(status).type(JSON_TYPE).send(body);
}

/** Query values as Pleo's form-style exploded arrays (`?statuses=a&statuses=b`). */
export function many(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function one(value: unknown): string | undefined {
  return Array.isArray(value) ? (value.at(-1) as string | undefined) : (value as string | undefined);
}
