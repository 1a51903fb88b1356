import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_DIR } from './child-processes.ts';

/**
 * The flags given to `node` in a start command's words, up to the script it runs. Flags are read
 * as `--name` or `--name=value`: a short flag, or a value given as a word of its own, would be
 * taken for the script, so they are refused.
 */
export function nodeFlagsOf(words: readonly string[]): string[] {
  const node = words.indexOf('node');
  if (node === -1) throw new Error(`start-flags: no "node" in ${words.join(' ')}`);
  const flags: string[] = [];
  for (const word of words.slice(node + 1)) {
    if (!word.startsWith('-')) break;
    if (!word.startsWith('--')) throw new Error(`start-flags: write "${word}" as --name or --name=value`);
    flags.push(word);
  }
  return flags;
}

/**
 * Node's flags of the production start, read from `pnpm start`'s script, so the bench runs the
 * server as it is started for real (the image's CMD carries the same flags: a test holds them
 * equal).
 */
export function productionNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(SERVER_DIR, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return nodeFlagsOf(manifest.scripts.start.split(/\s+/));
}
