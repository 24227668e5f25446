// Links into the Temporal Web UI that open the export list already filtered, with the search
// attributes the workflows set (src/shared/workflow-api.ts).
import { EXPORT_JOB_WORKFLOW, SA_COMPANY_ID, SA_OUTCOME } from '../shared/workflow-api';

/** A visibility query: this company's export jobs that failed or left items failed. */
export function failedExportsQuery(companyId: string): string {
  return `WorkflowType = "${EXPORT_JOB_WORKFLOW}" AND ${SA_COMPANY_ID.name} = "${companyId}" AND ${SA_OUTCOME.name} IN ("failed", "completed_with_errors")`;
}

export function allExportsQuery(companyId: string): string {
  return `WorkflowType = "${EXPORT_JOB_WORKFLOW}" AND ${SA_COMPANY_ID.name} = "${companyId}"`;
}

/** The Web UI's workflow list for a namespace, filtered by a visibility query. */
export function workflowListUrl(webUi: string, namespace: string, query: string): string {
  return `${webUi.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}
