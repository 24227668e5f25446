// A small workflow for the codec test: its input and result carry an expense's personal data, the kind
// of value the encryption codec must keep out of stored histories.
import { proxyActivities } from '@temporalio/workflow';

export interface Expense {
  merchant: string;
  employee: string;
  note: string;
}

const { describeExpense } = proxyActivities<{ describeExpense(expense: Expense): Promise<string> }>({
  startToCloseTimeout: '1 minute',
});

export async function expenseNoteWorkflow(expense: Expense): Promise<string> {
  return describeExpense(expense);
}
