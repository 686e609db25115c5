#!/usr/bin/env node
// Only imports the built CLI (DESIGN.md §1); `npm install` builds it through the `prepare` script.
import { exitWhenFlushed, main } from '../dist/cli/main.js';

main(process.argv).then(exitWhenFlushed);
