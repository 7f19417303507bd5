#!/usr/bin/env node
// Entry point of the `bench` command: TypeScript sources run through tsx's loader,
// so there is no build step between a checkout and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
