import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { classified } from './failures';
import type { AccountingSystemLimits, Readiness } from '../accounting-systems/port';
import { ERROR_TYPES, type FailureClassification } from '../shared/error-types';

export function createReadinessActivities(deps: ActivityDeps) {
  return {
    /**
     * Pre-export validation, before anything is booked: the accounting system is told what the
     * company's configuration relies on (wallet currencies, the FX account) and how many items the job
     * holds, so it can refuse up front what would otherwise fail item after item. An unreachable
     * accounting system is an outage and is retried within the outage budget; any other problem fails
     * the job at once with its own reason. A ready system says what it allows this company (calls at
     * once, calls per second): the job's window and pacing keep under it across every worker.
     */
    async checkAccountingSystemReady(input: {
      companyId: string;
      vendorBasedBookkeeping: boolean;
      numberOfItems?: number;
    }): Promise<Readiness & { limits?: AccountingSystemLimits }> {
      return classified(async () => {
        const { accountingSystem, accounting } = await deps.connections.get(input.companyId);
        const readiness = await accountingSystem.checkReady({
          vendorBasedBookkeeping: input.vendorBasedBookkeeping,
          accounting: {
            currencies: Object.keys(accounting.walletAccounts),
            fxDifferenceAccount: accounting.fxDifferenceAccount,
          },
          ...(input.numberOfItems !== undefined
            ? { expectedWrites: { documents: input.numberOfItems } }
            : {}),
        });
        throwIfUnreachable(readiness);
        const { limits } = accountingSystem.capabilities;
        return readiness.ok && limits ? { ...readiness, limits } : readiness;
      });
    },

    /**
     * The readiness probe of a paused job: Pleo answers for the job and the accounting system is
     * reachable again (an Outage failure otherwise, retried with backoff within the outage budget).
     */
    async probeOutage(input: { companyId: string; jobId: string }): Promise<{ jobStatus: string }> {
      return classified(async () => {
        const { pleo, accountingSystem } = await deps.connections.get(input.companyId);
        const job = await pleo.getExportJob(input.jobId);
        const readiness = await accountingSystem.checkReady({
          vendorBasedBookkeeping: job.vendorBasedBookkeeping,
        });
        throwIfUnreachable(readiness);
        return { jobStatus: job.status };
      });
    },
  };
}

/** An unreachable accounting system is an outage (retried), not a verdict on the company's set-up. */
function throwIfUnreachable(readiness: Readiness): void {
  if (readiness.ok || readiness.reasonType !== 'accounting_system_unreachable') return;
  const details: FailureClassification = {
    jobFailureReasonType: readiness.reasonType,
    message: readiness.message,
  };
  throw ApplicationFailure.create({
    message: readiness.message,
    type: ERROR_TYPES.outage,
    details: [details],
  });
}
