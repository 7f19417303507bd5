/** Further commands, one file each, loaded only when run. */
export const optionalCommands = [
    { name: 'brokers', summary: 'start, stop and check real Kafka, RabbitMQ and ActiveMQ brokers (no Docker needed)', load: () => import('./brokers.js') },
    { name: 'gate', summary: 'check a result against thresholds and baselines (exit 0 pass, 99 failed, 104 invalid)', load: () => import('./gate.js') },
    { name: 'compare', summary: 'compare two results per transport, with deltas and whether each is beyond noise', load: () => import('./compare.js') },
    { name: 'report', summary: 'render HTML, Markdown and CSV reports of a run, compare runs in one report, or serve reports/', load: () => import('./report.js') },
    { name: 'demo', summary: 'a guided demo of the course’s story with real short runs and a live dashboard', load: () => import('./demo.js') },
    { name: 'clean', summary: 'remove topics, queues and consumer groups left behind by earlier runs', load: () => import('./clean.js') },
];
//# sourceMappingURL=commands.js.map