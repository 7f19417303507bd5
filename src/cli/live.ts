import { SERVICE_NAMES } from '../contract/events.js';
import { ConfigError } from '../contract/errors.js';
import type { Result } from '../result/schema.js';
import type { RunOptions } from '../runtime/run.js';
import { LiveHub } from '../live/hub.js';
import { isLoopback, startLiveServer } from '../live/server.js';

/**
 * `--live`: a hub fed by the run's hooks and a server for the dashboard. The server
 * lives exactly as long as the run: `finish()` sends the report to every open page,
 * `close()` ends every stream and frees the port (also on SIGINT and on failure).
 */

export interface LiveFlags {
  live?: boolean;
  port?: string;
  bind?: string;
  open?: boolean;
}

export interface LiveSession {
  hub: LiveHub;
  url: string;
  hooks: Pick<RunOptions, 'onTransport' | 'onFaultInjector' | 'onBacklog'>;
  attachDriver: LiveHub['attachDriver'];
  finish(result: Result, html: string): void;
  close(): Promise<void>;
}

export function parseLiveFlags(flags: LiveFlags): { host: string; port: number } {
  const host = flags.bind ?? '127.0.0.1';
  const port = flags.port === undefined ? 8090 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port: expected a port number 0-65535, got "${flags.port}"`);
  if ((flags.port !== undefined || flags.bind !== undefined || flags.open) && !flags.live) throw new ConfigError('--port, --bind and --open need --live');
  return { host, port };
}

export async function startLive(title: string, transports: string[], flags: LiveFlags, log: (line: string) => void): Promise<LiveSession> {
  const { host, port } = parseLiveFlags(flags);
  if (!isLoopback(host)) log(`warning: the live dashboard listens on ${host}: anyone who can reach this address can watch the run and inject faults`);
  const hub = new LiveHub(transports, [...SERVICE_NAMES]);
  let server;
  try {
    server = await startLiveServer(hub, { host, port, title });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && flags.port === undefined) server = await startLiveServer(hub, { host, port: 0, title });
    else if (code === 'EADDRINUSE') throw new ConfigError(`--port ${port}: ${host}:${port} is taken (choose another port, or 0 for any free one)`);
    else if (code === 'EADDRNOTAVAIL') throw new ConfigError(`--bind ${host}: not an address of this machine`);
    else throw err;
  }
  hub.start();
  log(`live dashboard: ${server.url}`);
  if (flags.open) (await import('./report.js')).openInBrowser(server.url);
  return {
    hub,
    url: server.url,
    hooks: {
      onTransport: (info) => hub.transportStarting(info.label ?? info.transport, info.eventsDir),
      onFaultInjector: (f) => hub.attachInjector(f),
      onBacklog: (points) => hub.backlogSample(points),
    },
    attachDriver: (d) => hub.attachDriver(d),
    finish: (_result, html) => hub.finish(html),
    close: async () => {
      hub.stop();
      await server.close();
    },
  };
}
