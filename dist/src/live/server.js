import { createServer } from 'node:http';
import { livePage } from './page.js';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export function isLoopback(host) {
    return LOOPBACK.has(host);
}
function send(res, status, body) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
}
async function readBody(req, limit = 4096) {
    let body = '';
    for await (const chunk of req) {
        body += String(chunk);
        if (body.length > limit)
            throw new Error('request body too large');
    }
    return body;
}
export async function startLiveServer(hub, opts) {
    const clients = new Set();
    const page = livePage(opts.title);
    const frame = (m) => `data: ${JSON.stringify(m)}\n\n`;
    const onSecond = (m) => {
        for (const c of clients)
            c.write(frame(m));
    };
    const onFinal = (html) => {
        for (const c of clients)
            c.write(`event: final\ndata: ${JSON.stringify({ html })}\n\n`);
    };
    hub.on('second', onSecond);
    hub.on('final', onFinal);
    const server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (req.method === 'GET' && url.pathname === '/') {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
            res.end(page);
            return;
        }
        if (req.method === 'GET' && url.pathname === '/events') {
            res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
            // what happened before the page opened, then the present
            res.write(`event: history\ndata: ${JSON.stringify({ points: hub.history })}\n\n`);
            const last = hub.snapshot();
            if (last)
                res.write(frame(last));
            if (hub.finalHtml !== null)
                res.write(`event: final\ndata: ${JSON.stringify({ html: hub.finalHtml })}\n\n`);
            clients.add(res);
            req.on('close', () => clients.delete(res));
            return;
        }
        if (req.method === 'POST' && url.pathname === '/next') {
            if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
                return send(res, 415, { error: 'expected a JSON body' });
            if (!hub.waitingForNext)
                return send(res, 409, { error: 'nothing is waiting for a next step' });
            hub.emit('next');
            return send(res, 202, { ok: true });
        }
        if (req.method === 'POST' && url.pathname === '/faults') {
            void handleFault(req, res);
            return;
        }
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
    });
    async function handleFault(req, res) {
        const origin = req.headers.origin;
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
            return send(res, 415, { error: 'expected a JSON body' });
        if (origin !== undefined && new URL(origin).host !== req.headers.host)
            return send(res, 403, { error: 'cross-site request refused' });
        try {
            const body = JSON.parse(await readBody(req));
            const action = body.action;
            if (action !== 'kill' && action !== 'pause' && action !== 'delay')
                return send(res, 400, { error: 'action: expected kill, pause or delay' });
            const seconds = Number(body.seconds ?? 10);
            if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 300)
                return send(res, 400, { error: 'seconds: expected 1-300' });
            const event = await hub.inject({ action, target: String(body.target ?? ''), durationMs: seconds * 1000, ...(body.delayMs !== undefined ? { delayMs: Number(body.delayMs) } : {}) });
            send(res, 202, { ok: true, event });
        }
        catch (err) {
            send(res, 409, { error: err instanceof Error ? err.message : String(err) });
        }
    }
    await new Promise((ok, fail) => {
        server.once('error', fail);
        server.listen(opts.port, opts.host, () => ok());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    return {
        url: `http://${host}:${port}/`,
        close: async () => {
            hub.off('second', onSecond);
            hub.off('final', onFinal);
            // let the last frames reach the pages, then end every stream and free the port
            await new Promise((r) => setTimeout(r, 300));
            for (const c of clients)
                c.end();
            await new Promise((done) => {
                server.close(() => done());
                server.closeAllConnections();
            });
        },
    };
}
//# sourceMappingURL=server.js.map