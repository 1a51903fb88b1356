import { parseConfig, type WebConfig } from './config.ts';

/** The dashboard's config, parsed once from the build environment and the page's origin. */
export const appConfig: WebConfig = parseConfig(import.meta.env, window.location.origin);
