import { basename, relative } from 'node:path';
import { Command } from 'commander';
import { TRANSPORT_NAMES } from '../contract/transport.js';
import { leadingComment, listScenarioFiles } from '../scenario/load.js';
import { readFileSync } from 'node:fs';
export function command() {
    return new Command('list')
        .description('list scenarios, and transports with whether each is reachable now')
        .option('--target <file>', 'say which transports are reachable at a target (a target file, or a name from targets/)')
        .action(async (flags) => {
        const out = ['Scenarios (scenarios/):'];
        for (const file of listScenarioFiles()) {
            const name = basename(file).replace(/\.ya?ml$/, '');
            const first = leadingComment(readFileSync(file, 'utf8')).split('\n')[0] ?? '';
            out.push(`  ${name.padEnd(26)} ${first}`);
        }
        if (flags.target !== undefined) {
            out.push('', ...(await targetTransports(flags.target)));
            process.stdout.write(out.join('\n') + '\n');
            return;
        }
        out.push('', 'Transports:');
        const { brokerOf, pingBroker } = await import('../brokers/index.js');
        const pings = await Promise.all(TRANSPORT_NAMES.map(async (t) => (t === 'rest' ? undefined : pingBroker(brokerOf(t)))));
        TRANSPORT_NAMES.forEach((t, i) => {
            const p = pings[i];
            if (!p)
                out.push(`  ${t.padEnd(10)} reachable      no broker needed (services on 127.0.0.1)`);
            else if (p.answers)
                out.push(`  ${t.padEnd(10)} reachable      ${p.address}${p.version ? `  (${p.version})` : ''}`);
            else
                out.push(`  ${t.padEnd(10)} unreachable    ${p.address}: ${p.error ?? 'no answer'} — start it with: npx bench brokers up --only ${brokerOf(t)}`);
        });
        process.stdout.write(out.join('\n') + '\n');
    });
}
/** One line per transport: reachable at the target (one real connection, TLS and login included), or why not. */
async function targetTransports(file) {
    const { loadTarget, TARGET_TRANSPORTS } = await import('../targets/load.js');
    const { addressOf, checkTransport } = await import('../targets/check.js');
    const { brokerEndpoints } = await import('../brokers/index.js');
    const target = loadTarget(file);
    const endpoints = { ...brokerEndpoints(), ...target.endpoints };
    const lines = [`Transports at target ${target.name} (${relative(process.cwd(), target.file) || target.file}):`];
    lines.push(`  ${'rest'.padEnd(10)} reachable      no broker needed (services on 127.0.0.1)`);
    const results = await Promise.all(TARGET_TRANSPORTS.map(async (t) => {
        if (!target.endpoints[t])
            return `  ${t.padEnd(10)} not in target`;
        try {
            await checkTransport(t, endpoints, 3_000);
            return `  ${t.padEnd(10)} reachable      ${addressOf(t, endpoints)}${target.provision[t] ? '' : '  (existing objects, provision: false)'}`;
        }
        catch (err) {
            return `  ${t.padEnd(10)} unreachable    ${err instanceof Error ? err.message : String(err)}`;
        }
    }));
    return [...lines, ...results];
}
//# sourceMappingURL=list.js.map