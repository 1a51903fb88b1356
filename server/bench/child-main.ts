/**
 * The main loop of a bench child that does one piece of work per `{ type: 'start' }` message: it
 * says `{ type: 'ready' }`, answers each start with what `run` resolves to, ends with code 1 (and
 * the error on stderr) when `run` fails, and exits when its parent goes away.
 */
export function answerStarts<S extends { type: 'start' }, D>(name: string, run: (start: S) => Promise<D>): void {
  process.on('message', (message: S) => {
    if (message.type !== 'start') return;
    run(message).then(
      (done) => process.send?.(done),
      (error: unknown) => {
        console.error(`${name}: failed`, error);
        process.exit(1);
      },
    );
  });
  process.once('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready' });
}
