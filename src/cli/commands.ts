import type { Command } from 'commander';

/** Further commands, one file each, loaded only when run. */
export const optionalCommands: Array<{ name: string; summary: string; load: () => Promise<{ command: () => Command }> }> = [];
