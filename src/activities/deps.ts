import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { ConnectionRegistry } from '../connections';

export interface ActivityDeps {
  connections: ConnectionRegistry;
  logger: Logger;
  /** Folder for receipts while they travel from Pleo to the accounting system. */
  workDir: string;
  /** For activities that start or signal workflows (the schedule's nudge) and paced calls' slots. */
  temporal?: { client: Client; taskQueue: string };
  /** The wall clock, injectable for tests (activities may read clocks; workflows may not). */
  now?: () => Date;
}
