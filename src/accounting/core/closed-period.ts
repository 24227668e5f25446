import type { AccountingDocument } from './documents';
import type { CompanyAccountingConfig } from './config';
import type { ItemFailure } from '../../shared/failure-reasons';
import { annotatedDescription } from './description';

/**
 * The accounting system said the document's period is closed. `adjust` re-dates it (next open period,
 * or today) and records the original date on it (`originalDate`, a note, and in the description, which
 * keeps its length limit and reconciliation id); `fail` fails the item with what to do.
 */
export function applyClosedPeriod(
  document: AccountingDocument,
  config: CompanyAccountingConfig,
  answer: { nextOpenDate?: string; today: string },
): { ok: true; document: AccountingDocument } | { ok: false; failure: ItemFailure } {
  const { strategy, adjustTo } = config.closedPeriod;
  const closed = document.date;
  if (strategy === 'fail') {
    return {
      ok: false,
      failure: {
        reasonType: 'accounting_system_validation_failure',
        message: `The accounting period of ${closed} is closed in the accounting system. Reopen it, or turn on closed-period date adjustment, then export again.`,
      },
    };
  }
  const date = adjustTo === 'today' ? answer.today : (answer.nextOpenDate ?? answer.today);
  if (!(date > closed)) {
    return {
      ok: false,
      failure: {
        reasonType: 'accounting_system_validation_failure',
        message: `The accounting period of ${closed} is closed and no later open date was found. Open a period in the accounting system, then export again.`,
      },
    };
  }
  const originalDate = document.originalDate ?? closed;
  const note = `Expense date ${originalDate} is in a closed period; booked on ${date}`;
  return {
    ok: true,
    document: {
      ...document,
      date,
      originalDate,
      description: annotatedDescription(
        document.description,
        note,
        document.references.reconciliationId,
        config.description.maxLength,
      ),
      notes: [...(document.notes ?? []), `${note} (closed-period rule: ${adjustTo}).`],
    },
  };
}
