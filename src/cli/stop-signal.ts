// Long-running commands (`books`, `webhook`, `codec-server`) run until SIGINT/SIGTERM, then stop gracefully.
export const stopSignal = (): Promise<string> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
