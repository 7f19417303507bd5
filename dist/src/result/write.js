import { renameSync, rmSync, writeFileSync } from 'node:fs';
/**
 * Writes result.json atomically: the whole file goes to a temporary name beside it,
 * is flushed, and replaces the old one by rename. A reader (or a run killed midway)
 * sees the previous complete result or the new one, never half of one.
 */
export function writeResultFile(path, result) {
    writeFileAtomic(path, JSON.stringify(result, null, 1));
}
export function writeFileAtomic(path, text) {
    const tmp = `${path}.${process.pid}.tmp`;
    try {
        writeFileSync(tmp, text, { flush: true });
        renameSync(tmp, path);
    }
    catch (err) {
        rmSync(tmp, { force: true });
        throw err;
    }
}
//# sourceMappingURL=write.js.map