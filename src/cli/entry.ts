import { exitWhenFlushed, main } from './main.js';

/** The CLI as a script: `node --import tsx src/cli/entry.ts ...` runs it from source, as bin/ackproof.js does built. */
main(process.argv).then(exitWhenFlushed);
