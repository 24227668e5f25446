// The worker's workflow bundle entry point.
export { companyExportWorkflow } from './company-export';
export { exportJobWorkflow } from './export-job';
export { pollCompanyWorkflow } from './poll-company';
