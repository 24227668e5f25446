// The demo company as Pleo knows it: every Pleo sandbox has it, and the demo exports its jobs.
import { DEMO_WALLET_CURRENCY } from './chart';

/** Its credentials are printed by `npm run sandbox`. */
export const DEMO_COMPANY = {
  id: 'd3b0c6a2-5e1f-4c7a-9b2e-5a1d0c0de001',
  name: 'Demo Company ApS',
  walletCurrency: DEMO_WALLET_CURRENCY,
  apiKey: 'sandbox-demo-api-key',
} as const;
