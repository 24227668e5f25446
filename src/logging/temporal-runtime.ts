import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker, workflow and activity loggers, core) through pino.
 * Must run before anything creates a Worker or NativeConnection; later calls are no-ops.
 */
export function installTemporalRuntime(log: Logger, metricsPort?: number): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger('INFO', forwardSdkLog(log.child({ component: 'temporal' }))),
    telemetryOptions: metricsPort
      ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } }
      : undefined,
  });
}

/** One Temporal SDK log entry as a pino line. */
export function forwardSdkLog(log: Logger): (entry: LogEntry) => void {
  return (entry) => {
    const level = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
    const [first, ...rest] = entry.message.split('\n');
    if (rest.length === 0) return log[level]({ ...entry.meta }, entry.message);
    // A report over many lines (webpack's, while bundling the workflows) as a list of lines, not one
    // escaped string; at info it is detail ("Workflow bundle created" follows), shown at debug.
    log[level === 'info' ? 'debug' : level]({ ...entry.meta, lines: rest }, first);
  };
}
