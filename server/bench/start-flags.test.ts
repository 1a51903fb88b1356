import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_DIR } from './child-processes.ts';
import { nodeFlagsOf, productionNodeFlags } from './start-flags.ts';

describe('the production start flags', () => {
  it('are read from pnpm start, and the image starts Node with the same ones', () => {
    const flags = productionNodeFlags();
    expect(flags).toContain('--max-semi-space-size=64');
    const dockerfile = readFileSync(join(SERVER_DIR, '..', 'Dockerfile'), 'utf8');
    // The image runs the last CMD of the file.
    const cmd = [...dockerfile.matchAll(/^CMD (\[.*\])$/gm)].at(-1);
    expect(cmd).toBeDefined();
    expect(nodeFlagsOf(JSON.parse(cmd![1]!) as string[])).toEqual(flags);
  });

  it('stop at the script the command runs', () => {
    expect(nodeFlagsOf(['NODE_ENV=production', 'node', '--a=1', '--b', 'dist/main.js', '--not-a-node-flag'])).toEqual(['--a=1', '--b']);
    expect(() => nodeFlagsOf(['tsx', 'src/main.ts'])).toThrow(/no "node"/);
    expect(() => nodeFlagsOf(['node', '-r', 'x', 'dist/main.js'])).toThrow(/write "-r" as --name or --name=value/);
  });
});
