#!/usr/bin/env node
// Entry point of the `bench` command: TypeScript sources run through tsx's loader,
// so there is no build step between a checkout and a run.
import { register } from 'tsx/esm/api';

register();
// first of all: a signal at any moment ends the same way (exit 105)
const { installInterrupts } = await import('../src/cli/interrupt.ts');
installInterrupts();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
