// What every `pleo-export` command shares: the configuration (loaded once, `--config` or
// PLEO_EXPORT_CONFIG), `--json` output, a logger on stderr, and a Temporal client with the payload codec.
// Commands load what only they need when they run (`await import`), so `--help` and quick commands
// start fast.
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { loadConfig } from '../config/load';
import type { AppConfig } from '../config/schema';
import { stderrLogger } from '../logging/logger';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  logFormat?: string;
}

export class CliContext {
  #config?: AppConfig;
  #logger?: Logger;
  #client?: Promise<Client>;
  #cleanups: (() => Promise<void>)[] = [];
  /** Set to non-zero by a command whose checks failed. */
  exitCode = 0;

  constructor(
    readonly io: CliIo,
    private readonly options: () => GlobalOptions,
  ) {}

  get json(): boolean {
    return this.options().json === true;
  }

  get configFile(): string | undefined {
    return this.options().config ?? this.io.env.PLEO_EXPORT_CONFIG;
  }

  config(): AppConfig {
    this.#config ??= loadConfig({ file: this.configFile, env: this.io.env });
    return this.#config;
  }

  get logger(): Logger {
    // Logs go to stderr so stdout stays parseable (`--json`).
    this.#logger ??= stderrLogger(
      { level: this.io.env.LOG_LEVEL ?? this.config().log.level },
      this.options().logFormat ?? this.io.env.LOG_FORMAT,
    );
    return this.#logger;
  }

  /** A Temporal client with the configured payload codec, closed when the command ends. */
  client(): Promise<Client> {
    this.#client ??= Promise.all([import('../temporal/connection'), import('../codec')])
      .then(([{ connectClient }, { createDataConverter }]) =>
        connectClient(this.config().temporal, createDataConverter(this.config().codec)),
      )
      .then((client) => {
        this.onClose(() => client.connection.close());
        return client;
      });
    return this.#client;
  }

  onClose(cleanup: () => Promise<void>): void {
    this.#cleanups.push(cleanup);
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.reverse()) await cleanup().catch(() => undefined);
    this.#cleanups = [];
  }

  /** Prints `data` as JSON with `--json`, else the text lines. */
  emit(data: unknown, text: string | string[]): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else this.io.stdout.write(`${[text].flat().join('\n')}\n`);
  }
}
