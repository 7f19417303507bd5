/**
 * Colours and line styles per transport. Okabe–Ito (colour-blind safe); each
 * transport keeps its colour in every chart and report. Runs of the same transport
 * in a comparison share the colour and differ by dash pattern.
 */
export const TRANSPORT_COLOURS = {
    rest: '#0072B2', // blue
    kafka: '#D55E00', // vermillion
    rabbitmq: '#009E73', // bluish green
    activemq: '#CC79A7', // reddish purple
    nats: '#E69F00', // orange
    redis: '#56B4E9', // sky blue
    mqtt: '#000000', // black
};
const SPARE_COLOURS = ['#F0E442', '#999999'];
/** Dash patterns (canvas setLineDash) for the 1st, 2nd, ... run of one transport. */
const DASHES = [[], [10, 5], [2, 4], [12, 4, 2, 4]];
/** The known transport a (possibly run-labelled) name belongs to, e.g. `kafka · run 2` → `kafka`. */
export function baseTransport(name) {
    const lower = name.toLowerCase();
    return Object.keys(TRANSPORT_COLOURS).find((k) => lower === k || lower.startsWith(`${k} `)) ?? name;
}
const MARKERS = ['circle', 'square', 'triangle', 'diamond'];
/** Styles for a list of transport names, in order. */
export function transportStyles(names) {
    const seenPerBase = new Map();
    let spare = 0;
    const spareFor = new Map();
    return names.map((name) => {
        const base = baseTransport(name);
        const nth = seenPerBase.get(base) ?? 0;
        seenPerBase.set(base, nth + 1);
        let colour = TRANSPORT_COLOURS[base];
        if (colour === undefined) {
            colour = spareFor.get(base) ?? SPARE_COLOURS[spare++ % SPARE_COLOURS.length];
            spareFor.set(base, colour);
        }
        const known = Object.keys(TRANSPORT_COLOURS).indexOf(base);
        const marker = MARKERS[(known >= 0 ? known : nth) % MARKERS.length];
        return { colour, dash: DASHES[nth % DASHES.length], marker };
    });
}
//# sourceMappingURL=palette.js.map