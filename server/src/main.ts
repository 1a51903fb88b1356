import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startApp } from './app.ts';
import { MigrationError } from './store/migrator.ts';

try {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const app = await startApp({ config, logger });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      // Logs are written asynchronously: flush them before the process ends.
      const exit = (code: number) => logger.flush(() => process.exit(code));
      app.stop().then(
        () => exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          exit(1);
        },
      );
    });
  }
} catch (error: unknown) {
  // A bad setting or a failed migration is the operator's to fix: say what, without a stack.
  if (error instanceof ConfigError || error instanceof MigrationError) console.error(`zeitgeber: ${error.message}`);
  else console.error('zeitgeber: could not start', error);
  process.exit(1);
}
