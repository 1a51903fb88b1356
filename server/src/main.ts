import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startApp } from './app.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const app = await startApp({ config, logger });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    app.stop().then(() => process.exit(0), (error: unknown) => { logger.error({ err: error }, 'shutdown failed'); process.exit(1); });
  });
}
