/**
 * The error catalogue: every code a failure of the harness can carry, declared once with
 * what it means, and the one place that turns an error into a code, a code into an HTTP
 * status, and a command's error into an exit code (in the manner of fastify's
 * lib/errors.js). Two families:
 *
 * - COMMAND_ERRORS: the `code` of a BenchError, the error that stops a command (or one
 *   transport's run) with one line; its entry decides the process's exit code.
 * - ORDER_ERRORS: why one order ended in `error`, as the load driver saw it: the keys of a
 *   result's `errorsByCode`, plus `HTTP_<status>`. Where a service of the harness answers
 *   with the code, its entry gives the HTTP status.
 *
 * It lives in src/contract and depends on nothing because the REST adapter answers with
 * these codes, and adapters may import only src/contract. A unit test checks that every
 * code the sources produce is declared here and that every code declared here is produced.
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
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const COMMAND_ERRORS = {
  INVALID_CONFIG: { exit: ExitCode.invalidConfig, meaning: 'a scenario or target file, a flag or an argument is invalid; the line names it, the field and what was expected' },
  UNREACHABLE: {
    exit: ExitCode.unreachable,
    meaning: 'a broker or service the run needs cannot be reached at its address, or refused the login, the certificate or the permissions the run needs',
  },
  PORT_TAKEN: { exit: ExitCode.unreachable, meaning: 'a port bench would listen on (a broker it starts, the report server) is held by something else' },
  TIMEOUT: { exit: ExitCode.failure, meaning: 'something the harness waited for did not happen in time (a broker connect, a lock file held by another process)' },
  TRANSPORT: { exit: ExitCode.failure, meaning: "a broker or its client failed an operation (a publish, a confirm, a listing), or a connection's retry gave up" },
  BROKER_START: { exit: ExitCode.failure, meaning: 'a broker bench starts did not come up, or is not the one bench recorded' },
  INSTALL: { exit: ExitCode.failure, meaning: 'a package or jar a broker or a chosen client needs is missing and could not be installed (transport.kafka.client: librdkafka without @confluentinc/kafka-javascript)' },
  SERVICE_START: { exit: ExitCode.failure, meaning: 'a service process of the run did not become ready, or exited before it was (the line names its log)' },
} as const satisfies Record<string, { exit: ExitCode; meaning: string }>;
export type ErrorCode = keyof typeof COMMAND_ERRORS;

export const ORDER_ERRORS = {
  ORDER_SERVICE_UNREACHABLE: {
    meaning: 'the load driver could not connect to the order service (refused, no route, connect timeout): it was down, restarting, or cut off by a network fault',
  },
  CONNECTION_RESET: { meaning: 'the connection to the order service broke while the order was on it (a reset fault, an order service killed mid-request)' },
  PUBLISH_FAILED: {
    httpStatus: 503,
    meaning: 'messaging: the order service could not publish order_created (the broker refused it, or reconnecting gave up); the order was never accepted',
  },
  DOWNSTREAM_UNREACHABLE: {
    httpStatus: 502,
    meaning: 'REST: the order service could not reach inventory, payment or shipment, or lost the connection to it; compensated where the workflow allows',
  },
  DOWNSTREAM_TIMEOUT: { httpStatus: 504, meaning: "REST: inventory, payment or shipment did not answer within the order service's requestTimeout" },
  DOWNSTREAM_STATUS: { httpStatus: 502, meaning: 'REST: inventory, payment or shipment answered an error status (it refused the event)' },
  UNEXPECTED_EVENT: {
    httpStatus: 400,
    meaning: 'REST, between services: an event the service does not take at this point of the workflow; the order service counts it as DOWNSTREAM_STATUS, so no result carries it',
  },
  WORKFLOW_ENDED_EARLY: { httpStatus: 500, meaning: 'REST: the workflow emitted no further event before a terminal one (a bug in the routing table)' },
  CLIENT_ERROR: {
    meaning: "the load driver's request failed in a way no other code names (an unreadable answer, the driver out of sockets or file descriptors); the run prints the client's own code once",
  },
} as const satisfies Record<string, { httpStatus?: number; meaning: string }>;

/**
 * Why an order ended in `error`. `HTTP_<status>`: the order service answered an error status
 * without a code of this catalogue (fastify's 400 for an unreadable body, 413 for a body over
 * its limit, 500 for a handler that threw).
 */
export type OrderErrorCode = keyof typeof ORDER_ERRORS | `HTTP_${number}`;
/** The codes a service of the harness answers with, each with its status. */
export type AnsweredErrorCode = { [K in keyof typeof ORDER_ERRORS]: (typeof ORDER_ERRORS)[K] extends { httpStatus: number } ? K : never }[keyof typeof ORDER_ERRORS];

export function exitCodeOf(code: ErrorCode): ExitCode {
  return COMMAND_ERRORS[code].exit;
}

export function isOrderErrorCode(value: unknown): value is OrderErrorCode {
  return typeof value === 'string' && (Object.hasOwn(ORDER_ERRORS, value) || /^HTTP_[1-5]\d\d$/.test(value));
}

/** The status a service answers with, and the body: `{ error: <code>, message, ...extra }`. */
export function errorAnswer(code: AnsweredErrorCode, message: string, extra: Record<string, unknown> = {}): { status: number; body: Record<string, unknown> } {
  return { status: ORDER_ERRORS[code].httpStatus, body: { error: code, message, ...extra } };
}

/** The order code of what a socket or undici throws when a request fails before its answer. */
const FAILURE_CODES: Record<string, OrderErrorCode> = {
  ECONNREFUSED: 'ORDER_SERVICE_UNREACHABLE',
  EHOSTUNREACH: 'ORDER_SERVICE_UNREACHABLE',
  ENETUNREACH: 'ORDER_SERVICE_UNREACHABLE',
  ETIMEDOUT: 'ORDER_SERVICE_UNREACHABLE',
  UND_ERR_CONNECT_TIMEOUT: 'ORDER_SERVICE_UNREACHABLE',
  ECONNRESET: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
  UND_ERR_SOCKET: 'CONNECTION_RESET',
};

/** What a client error calls itself (`EMFILE`, `UND_ERR_HEADERS_TIMEOUT`, `SyntaxError`), for a line about it. */
export function clientCodeOf(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown } | null | undefined;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.name === 'string' ? e.name : 'unknown';
}

/** The code of an order whose request failed before an answer came, from what the client threw. */
export function orderErrorOfFailure(err: unknown): OrderErrorCode {
  return FAILURE_CODES[clientCodeOf(err)] ?? 'CLIENT_ERROR';
}

/** The code of an order the order service answered with an error status: the body's code when the catalogue has it, `HTTP_<status>` otherwise. */
export function orderErrorOfAnswer(status: number, body: string): OrderErrorCode {
  try {
    const { error } = JSON.parse(body) as { error?: unknown };
    if (typeof error === 'string' && Object.hasOwn(ORDER_ERRORS, error)) return error as OrderErrorCode;
  } catch {
    // not JSON: counted by its status
  }
  return `HTTP_${status}`;
}

/** REST: the code of a call from the order service to a downstream service that threw (a timeout, or no connection). */
export function downstreamErrorOf(err: unknown): 'DOWNSTREAM_TIMEOUT' | 'DOWNSTREAM_UNREACHABLE' {
  const name = (err as { name?: unknown } | null | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError' ? 'DOWNSTREAM_TIMEOUT' : 'DOWNSTREAM_UNREACHABLE';
}
