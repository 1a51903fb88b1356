import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startApp } from './app.ts';
import { MigrationError } from './store/migrator.ts';

try {
  const config = loadConfig();
  // V8's own factor let a million jobs (about 350 MB live) reach 1.1 GB of RSS between full
  // collections; 50 % keeps them near 650 MB for a few percent more CPU while they are created.
  if (config.HEAP_GROWTH_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWTH_PERCENT}`);
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
