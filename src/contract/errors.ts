/**
 * One error hierarchy for the whole harness. Every error has a stable code from the
 * catalogue (error-catalogue.ts), says whether retrying could help, and keeps its cause.
 */
import { exitCodeOf, type ErrorCode, type ExitCode } from './error-catalogue.js';

export interface BenchErrorOptions {
  retriable?: boolean;
  cause?: unknown;
}

export class BenchError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  constructor(code: ErrorCode, message: string, options: BenchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BenchError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
  /** The exit code a command should end with when this error reaches the top: the catalogue's. */
  get exitCode(): ExitCode {
    return exitCodeOf(this.code);
  }
}

/** Bad input: a scenario file, a flag, an argument. The message names the place and what was expected. */
export class ConfigError extends BenchError {
  constructor(message: string, options: BenchErrorOptions = {}) {
    super('INVALID_CONFIG', message, options);
    this.name = 'ConfigError';
  }
}

/** A broker or service that cannot be reached at an address. */
export class UnreachableError extends BenchError {
  readonly address: string;
  constructor(address: string, message: string, options: BenchErrorOptions = {}) {
    super('UNREACHABLE', message, { retriable: true, ...options });
    this.name = 'UnreachableError';
    this.address = address;
  }
}

export class TimeoutError extends BenchError {
  constructor(message: string, options: BenchErrorOptions = {}) {
    super('TIMEOUT', message, { retriable: true, ...options });
    this.name = 'TimeoutError';
  }
}

/**
 * A value the user gave, fit to quote in a one-line message: in double quotes, control
 * characters escaped (a newline never splits the line), cut after `max` characters
 * with the full length said, so a 5 MB string never becomes a 5 MB message.
 */
export function quoteInput(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > max ? text.slice(0, max) : text;
  // eslint-disable-next-line no-control-regex
  const escaped = cut.replace(/[\u0000-\u001f\u007f"\\]/g, (c) => (c === '"' ? '\\"' : c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return `"${escaped}"${text.length > max ? `… (${text.length} characters)` : ''}`;
}

/** One line, whatever the message holds: the last guard before a message is printed. */
export function oneLine(message: string, max = 400): string {
  const flat = message.replace(/\r?\n/g, '\\n');
  return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} characters)` : flat;
}
