import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { AppConfig } from '../config/schema';

/**
 * Connection options: the config's address and namespace, overridden by Temporal's own environment
 * variables and profiles (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*), so
 * pointing at an existing cluster or Temporal Cloud needs no code change.
 */
export function connectOptions(config: AppConfig['temporal']) {
  const fromEnv = loadClientConnectConfig();
  return {
    namespace: fromEnv.namespace ?? config.namespace,
    connectionOptions: {
      ...fromEnv.connectionOptions,
      address: fromEnv.connectionOptions.address ?? config.address,
    },
  };
}

/** `dataConverter`: the payload encryption codec when configured (src/codec). */
export async function connectClient(
  config: AppConfig['temporal'],
  dataConverter?: DataConverter,
): Promise<Client> {
  const { namespace, connectionOptions } = connectOptions(config);
  const connection = await Connection.connect(connectionOptions).catch(
    unreachable(connectionOptions.address),
  );
  return new Client({ connection, namespace, dataConverter });
}

export async function connectWorker(config: AppConfig['temporal']): Promise<NativeConnection> {
  const { connectionOptions } = connectOptions(config);
  // Loaded here: the worker package is heavy, and only worker processes need it (CLI start-up time).
  const { NativeConnection } = await import('@temporalio/worker');
  return NativeConnection.connect(connectionOptions).catch(unreachable(connectionOptions.address));
}

/** The SDK's connection errors do not say where it tried to connect: name the address and how to change it. */
function unreachable(address: string) {
  return (err: unknown): never => {
    throw new Error(
      `Temporal at ${address} could not be reached (${(err as Error).message}): start it, or point to it with PLEO_EXPORT_TEMPORAL__ADDRESS or TEMPORAL_ADDRESS`,
      { cause: err },
    );
  };
}
