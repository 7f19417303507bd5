import { SERVICE_NAMES } from '../contract/events.js';
import { ConfigError } from '../contract/errors.js';
import { LiveHub } from '../live/hub.js';
import { isLoopback, startLiveServer } from '../live/server.js';
export function parseLiveFlags(flags) {
    const host = flags.bind ?? '127.0.0.1';
    const port = flags.port === undefined ? 8090 : Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new ConfigError(`--port: expected a port number 0-65535, got "${flags.port}"`);
    if ((flags.port !== undefined || flags.bind !== undefined || flags.open) && !flags.live)
        throw new ConfigError('--port, --bind and --open need --live');
    return { host, port };
}
export async function startLive(title, transports, flags, log) {
    const { host, port } = parseLiveFlags(flags);
    if (!isLoopback(host))
        log(`warning: the live dashboard listens on ${host}: anyone who can reach this address can watch the run and inject faults`);
    const hub = new LiveHub(transports, [...SERVICE_NAMES]);
    let server;
    try {
        server = await startLiveServer(hub, { host, port, title });
    }
    catch (err) {
        const code = err.code;
        if (code === 'EADDRINUSE' && flags.port === undefined)
            server = await startLiveServer(hub, { host, port: 0, title });
        else if (code === 'EADDRINUSE')
            throw new ConfigError(`--port ${port}: ${host}:${port} is taken (choose another port, or 0 for any free one)`);
        else if (code === 'EADDRNOTAVAIL')
            throw new ConfigError(`--bind ${host}: not an address of this machine`);
        else
            throw err;
    }
    hub.start();
    log(`live dashboard: ${server.url}`);
    if (flags.open)
        (await import('./report.js')).openInBrowser(server.url);
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
//# sourceMappingURL=live.js.map