import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderActivemqXml } from '../activemq-config.js';
import { renderMosquittoConf } from '../servers.js';
import { DEFAULT_PORTS, RABBITMQ_DOCKER_PLUGINS } from '../settings.js';
/**
 * The files docker-compose.yml mounts, rendered from the same settings as the no-Docker
 * brokers. Regenerate after changing those settings:
 *   node --import tsx src/brokers/docker/render.ts
 */
export function dockerFiles() {
    return {
        'activemq.xml': renderActivemqXml({ bindHost: '0.0.0.0', stompPort: DEFAULT_PORTS.stomp, openwirePort: DEFAULT_PORTS.openwire }),
        enabled_plugins: `[${RABBITMQ_DOCKER_PLUGINS.join(',')}].\n`,
        'mosquitto.conf': renderMosquittoConf('/mosquitto/data', '0.0.0.0', DEFAULT_PORTS.mqtt),
    };
}
if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
    for (const [name, text] of Object.entries(dockerFiles())) {
        fs.writeFileSync(new URL(name, import.meta.url), text);
        process.stdout.write(`wrote src/brokers/docker/${name}\n`);
    }
}
//# sourceMappingURL=render.js.map