// `sandbox`: the local stand-in for Pleo's API (the same as `npm run sandbox`), with its own options.
import type { Command } from 'commander';

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description("Run the local stand-in for Pleo's API, seeded with demo export jobs (npm run sandbox)")
    .helpOption(false)
    .allowUnknownOption()
    .argument('[options...]', 'the options of `npm run sandbox -- --help` (--seed, --port, --host, --fault)')
    .action(async (options: string[]) => {
      const { loadDevPackage } = await import('../../app/dev-package');
      const { main } = (await loadDevPackage('@pleo-export/pleo-sandbox/cli')) as {
        main(argv: string[]): Promise<void>;
      };
      await main([process.argv0, 'sandbox', ...options]);
    });
}
