/**
 * One error hierarchy for the whole harness. Every error has a stable code from
 * the catalogue below, says whether retrying could help, and keeps its cause.
 */
/** Process exit codes; they mean the same thing in every command (k6 style). */
export const ExitCode = {
    ok: 0,
    /** a failure that is not one of the others (a bug, a broker that died mid-run) */
    failure: 1,
    /** a threshold or a regression gate failed */
    thresholdsFailed: 99,
    /** a scenario file, flag or argument is invalid */
    invalidConfig: 104,
    /** stopped by SIGINT/SIGTERM; a partial result was written */
    aborted: 105,
    /** a broker or service the run needs cannot be reached */
    unreachable: 106,
};
export class BenchError extends Error {
    code;
    retriable;
    constructor(code, message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'BenchError';
        this.code = code;
        this.retriable = options.retriable ?? false;
    }
    /** The exit code a command should end with when this error reaches the top. */
    get exitCode() {
        switch (this.code) {
            case 'INVALID_CONFIG':
                return ExitCode.invalidConfig;
            case 'ABORTED':
                return ExitCode.aborted;
            case 'UNREACHABLE':
            case 'PORT_TAKEN':
                return ExitCode.unreachable;
            default:
                return ExitCode.failure;
        }
    }
}
/** Bad input: a scenario file, a flag, an argument. The message names the place and what was expected. */
export class ConfigError extends BenchError {
    constructor(message, options = {}) {
        super('INVALID_CONFIG', message, options);
        this.name = 'ConfigError';
    }
}
/** A broker or service that cannot be reached at an address. */
export class UnreachableError extends BenchError {
    address;
    constructor(address, message, options = {}) {
        super('UNREACHABLE', message, { retriable: true, ...options });
        this.name = 'UnreachableError';
        this.address = address;
    }
}
export class TimeoutError extends BenchError {
    constructor(message, options = {}) {
        super('TIMEOUT', message, { retriable: true, ...options });
        this.name = 'TimeoutError';
    }
}
/** The short code under which a failure is counted in results (never swallowed). */
export function errorCodeOf(err) {
    if (err instanceof BenchError)
        return err.code;
    if (err && typeof err === 'object') {
        const e = err;
        if (typeof e.code === 'string')
            return e.code;
        if (typeof e.name === 'string')
            return e.name;
    }
    return 'UNKNOWN';
}
/**
 * A value the user gave, fit to quote in a one-line message: in double quotes, control
 * characters escaped (a newline never splits the line), cut after `max` characters
 * with the full length said, so a 5 MB string never becomes a 5 MB message.
 */
export function quoteInput(value, max = 80) {
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    const cut = text.length > max ? text.slice(0, max) : text;
    // eslint-disable-next-line no-control-regex
    const escaped = cut.replace(/[\u0000-\u001f\u007f"\\]/g, (c) => (c === '"' ? '\\"' : c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    return `"${escaped}"${text.length > max ? `… (${text.length} characters)` : ''}`;
}
/** One line, whatever the message holds: the last guard before a message is printed. */
export function oneLine(message, max = 400) {
    const flat = message.replace(/\r?\n/g, '\\n');
    return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} characters)` : flat;
}
//# sourceMappingURL=errors.js.map