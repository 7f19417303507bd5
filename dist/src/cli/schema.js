import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { targetJsonSchema } from '../targets/schema.js';
export function command() {
    return new Command('schema')
        .description('print (or write) the JSON Schema of scenario files (or, with --target, of target files), for editor completion')
        .option('-o, --out <file>', 'write to a file instead of standard output')
        .option('--target', 'the schema of target files (targets/target.schema.json)')
        .action((flags) => {
        const text = JSON.stringify(flags.target ? targetJsonSchema() : scenarioJsonSchema(), null, 2) + '\n';
        if (flags.out)
            writeFileSync(flags.out, text);
        else
            process.stdout.write(text);
    });
}
//# sourceMappingURL=schema.js.map