import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../result/write.js';
import { isAlive, RUNNING_MARKER } from './output-dir.js';
/** Result files larger than this are not rewritten to mark them killed (their status stays `running`). */
const MAX_RESULT_BYTES = 512 * 1024 * 1024;
/**
 * A run's harness that died without a word (SIGKILL, a crash, the machine going down)
 * leaves its result `running` and its `.running` marker behind. Run at the start of
 * `bench run`: marks each such result under `reports/<scenario>/<run>/` `killed`, and
 * returns the directories it marked. Runs of other machines are left alone.
 */
export function markKilledRuns(reportsDir) {
    if (!existsSync(reportsDir))
        return [];
    const marked = [];
    for (const scenario of safeList(reportsDir)) {
        for (const run of safeList(join(reportsDir, scenario))) {
            const dir = join(reportsDir, scenario, run);
            if (markIfKilled(dir))
                marked.push(dir);
        }
    }
    return marked;
}
/** Marks one run directory's result `killed` if its harness is gone; true when it did. */
export function markIfKilled(dir) {
    const marker = join(dir, RUNNING_MARKER);
    if (!existsSync(marker))
        return false;
    const [pidText, host] = readFileSync(marker, 'utf8').trim().split(' ');
    const pid = Number(pidText);
    if (host !== hostname() || !Number.isInteger(pid) || (pid !== process.pid && isAlive(pid)))
        return false;
    const resultPath = join(dir, 'result.json');
    try {
        if (statSync(resultPath).size <= MAX_RESULT_BYTES) {
            const result = JSON.parse(readFileSync(resultPath, 'utf8'));
            if (result.status === 'running') {
                result.status = 'killed';
                result.statusDetail = `its harness (pid ${pid}) ended without finishing the run (SIGKILL, a crash or a shutdown); found by a later start`;
                writeFileAtomic(resultPath, JSON.stringify(result, null, 1));
            }
        }
    }
    catch {
        // no readable result: only the marker goes
    }
    rmSync(marker, { force: true });
    return true;
}
function safeList(dir) {
    try {
        return readdirSync(dir, { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => e.name);
    }
    catch {
        return [];
    }
}
//# sourceMappingURL=killed-runs.js.map