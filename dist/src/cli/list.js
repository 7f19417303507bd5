import { basename } from 'node:path';
import { Command } from 'commander';
import { TRANSPORT_NAMES } from '../contract/transport.js';
import { leadingComment, listScenarioFiles } from '../scenario/load.js';
import { readFileSync } from 'node:fs';
export function command() {
    return new Command('list')
        .description('list scenarios, and transports with whether each is reachable now')
        .action(async () => {
        const out = ['Scenarios (scenarios/):'];
        for (const file of listScenarioFiles()) {
            const name = basename(file).replace(/\.ya?ml$/, '');
            const first = leadingComment(readFileSync(file, 'utf8')).split('\n')[0] ?? '';
            out.push(`  ${name.padEnd(26)} ${first}`);
        }
        out.push('', 'Transports:');
        const { pingBroker } = await import('../brokers/index.js');
        const pings = await Promise.all(TRANSPORT_NAMES.map(async (t) => (t === 'rest' ? undefined : pingBroker(t))));
        TRANSPORT_NAMES.forEach((t, i) => {
            const p = pings[i];
            if (!p)
                out.push(`  ${t.padEnd(10)} reachable      no broker needed (services on 127.0.0.1)`);
            else if (p.answers)
                out.push(`  ${t.padEnd(10)} reachable      ${p.address}${p.version ? `  (${p.version})` : ''}`);
            else
                out.push(`  ${t.padEnd(10)} unreachable    ${p.address}: ${p.error ?? 'no answer'} — start it with: npx bench brokers up --only ${t}`);
        });
        process.stdout.write(out.join('\n') + '\n');
    });
}
//# sourceMappingURL=list.js.map