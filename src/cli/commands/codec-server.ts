// `codec-server`: /encode and /decode for the Temporal Web UI, so it shows encrypted payloads to
// someone holding the server's token; until SIGINT/SIGTERM.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { stopSignal } from '../stop-signal';

export function registerCodecServer(program: Command, ctx: CliContext): void {
  program
    .command('codec-server')
    .description(
      'Serve /encode and /decode for the Temporal Web UI (temporal server start-dev --ui-codec-endpoint <url>)',
    )
    .action(async () => {
      const { codec } = ctx.config();
      if (!codec?.server)
        throw new Error(
          'codec.keys and codec.server (token, port) must be configured to run the codec server',
        );
      const { createCodecServer } = await import('../../codec/server');
      const { EncryptionCodec, keyRingFrom } = await import('../../codec');
      const server = createCodecServer({
        codec: new EncryptionCodec(keyRingFrom(codec)),
        token: codec.server.token,
        corsOrigins: codec.server.corsOrigins,
        logger: ctx.logger,
      });
      const url = await server.listen({ host: codec.server.host, port: codec.server.port });
      ctx.emit(
        { url, corsOrigins: codec.server.corsOrigins },
        `codec server on ${url} (Web UI: --ui-codec-endpoint ${url})`,
      );
      await stopSignal();
      await server.close();
    });
}
