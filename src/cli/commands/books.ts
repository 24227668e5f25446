// `books`: serves a ledger in fava until Ctrl-C: a configured company's, or the demo's.
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AppConfig } from '../../config/schema';
import type { CliContext } from '../context';
import { stopSignal } from '../stop-signal';

export function registerBooks(program: Command, ctx: CliContext): void {
  program
    .command('books')
    .description('Serve a ledger in fava (default: the demo ledger npm start writes)')
    .option('--company <pleoCompanyId>', "a configured company's ledger instead of the demo's")
    .option('--port <port>', 'port to serve on (default: books.port in the configuration, 5000)')
    .action(async (o: { company?: string; port?: string }) => {
      const config = ctx.config();
      const { startFava } = await import('../../app/books');
      const books = await startFava({
        file: await ledgerFile(config, o.company),
        port: o.port ? Number(o.port) : config.books.port,
        logger: ctx.logger,
      });
      ctx.emit({ url: books.url }, `Books in fava: ${books.url}  (Ctrl-C stops)`);
      await stopSignal();
      await books.stop();
    });
}

/** The ledger file of a configured company, or the demo's. */
async function ledgerFile(config: AppConfig, companyId?: string): Promise<string> {
  if (!companyId) {
    const { demoLedgerConfig } = await import('../../app/demo');
    const demo = demoLedgerConfig(config.dataDir);
    return join(demo.dir, demo.fileName);
  }
  const company = config.companies.find((c) => c.pleoCompanyId === companyId);
  if (!company) throw new Error(`No configured company ${companyId}`);
  if (company.accountingSystem.type !== 'ledger')
    throw new Error(`Company ${companyId} books into ${company.accountingSystem.type}, not a ledger`);
  return join(company.accountingSystem.dir, company.accountingSystem.fileName);
}
