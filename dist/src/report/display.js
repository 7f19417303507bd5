/**
 * The result as renderers show it: an entry of a multi-step scenario is named by its
 * label (`kafka · ×2`), which keeps its transport's colour and gets its own dash.
 */
export function forDisplay(result) {
    if (!result.transports.some((t) => t.label))
        return result;
    return { ...result, transports: result.transports.map((t) => (t.label ? { ...t, name: t.label } : t)) };
}
//# sourceMappingURL=display.js.map