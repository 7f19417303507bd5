import { createHistogram, encodeHistogram, recordUs, summarize, } from './histogram.js';
const emptyCounts = () => ({ attempted: 0, accepted: 0, completed: 0, failed: 0, errors: 0, dropped: 0, timedOut: 0 });
/**
 * Records one transport's run: cumulative HDR histograms (end-to-end corrected and
 * uncorrected, acceptance) and per-second intervals. Only orders whose intended start
 * is inside the measured window count (the warm-up is excluded). Memory is flat: one
 * interval histogram is reused, each closed second becomes a small timeline point.
 */
export class RunRecorder {
    measureFromUs;
    nowUs;
    total = emptyCounts();
    errorsByCode = {};
    e2e = createHistogram();
    e2eUncorrected = createHistogram();
    acceptance = createHistogram();
    intervalE2e = createHistogram();
    intervalAcceptance = createHistogram();
    interval = emptyCounts();
    intervalIndex = 0;
    timeline = [];
    inFlight = 0;
    lastRate = 0;
    endUs;
    constructor(opts) {
        this.measureFromUs = opts.measureFromUs;
        this.nowUs = opts.nowUs;
    }
    counts(intendedAtUs) {
        this.roll();
        return intendedAtUs >= this.measureFromUs;
    }
    attempted(intendedAtUs) {
        this.inFlight++;
        if (!this.counts(intendedAtUs))
            return;
        this.total.attempted++;
        this.interval.attempted++;
    }
    dropped(intendedAtUs) {
        if (!this.counts(intendedAtUs))
            return;
        this.total.attempted++;
        this.interval.attempted++;
        this.total.dropped++;
        this.interval.dropped++;
    }
    accepted(intendedAtUs, acceptedAtUs) {
        if (!this.counts(intendedAtUs))
            return;
        this.total.accepted++;
        this.interval.accepted++;
        const us = acceptedAtUs - intendedAtUs;
        recordUs(this.acceptance, us);
        recordUs(this.intervalAcceptance, us);
    }
    /** An order ended. Latencies: corrected from the intended start, uncorrected from the actual send. */
    ended(intendedAtUs, sentAtUs, endedAtUs, outcome, errorCode) {
        this.inFlight--;
        if (!this.counts(intendedAtUs))
            return;
        if (outcome === 'completed' || outcome === 'failed') {
            this.total[outcome]++;
            this.interval[outcome]++;
            const corrected = endedAtUs - intendedAtUs;
            recordUs(this.e2e, corrected);
            recordUs(this.intervalE2e, corrected);
            recordUs(this.e2eUncorrected, endedAtUs - sentAtUs);
        }
        else if (outcome === 'timedOut') {
            this.total.timedOut++;
            this.interval.timedOut++;
        }
        else {
            this.total.errors++;
            this.interval.errors++;
            const code = errorCode ?? 'UNKNOWN';
            this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
        }
    }
    /** Closes every full second that has passed. */
    roll() {
        const now = this.endUs ?? this.nowUs();
        while (now >= this.measureFromUs + (this.intervalIndex + 1) * 1_000_000)
            this.closeInterval();
    }
    snapshot() {
        this.roll();
        return {
            counts: { ...this.total },
            inFlight: this.inFlight,
            currentRate: this.lastRate,
            p99Ms: this.e2e.totalCount ? this.e2e.getValueAtPercentile(99) / 1000 : 0,
        };
    }
    /** Ends the measured window at `endUs` (a partial last second is kept). */
    finish(endUs = this.nowUs()) {
        this.roll();
        this.endUs = endUs;
        const hasPartial = Object.values(this.interval).some((n) => n > 0);
        if (hasPartial && endUs > this.measureFromUs + this.intervalIndex * 1_000_000)
            this.closeInterval();
        return {
            counts: { ...this.total },
            errorsByCode: { ...this.errorsByCode },
            latency: {
                endToEnd: summarize(this.e2e),
                endToEndUncorrected: summarize(this.e2eUncorrected),
                acceptance: summarize(this.acceptance),
            },
            histograms: {
                endToEnd: encodeHistogram(this.e2e),
                endToEndUncorrected: encodeHistogram(this.e2eUncorrected),
                acceptance: encodeHistogram(this.acceptance),
            },
            timeline: this.timeline,
            measuredMs: Math.max(0, (endUs - this.measureFromUs) / 1000),
        };
    }
    closeInterval() {
        this.intervalIndex++;
        const h = this.intervalE2e;
        const any = h.totalCount > 0;
        const ms = (us) => Math.round(us) / 1000;
        this.timeline.push({
            t: this.intervalIndex,
            ...this.interval,
            inFlight: Math.max(0, this.inFlight),
            p50: any ? ms(h.getValueAtPercentile(50)) : 0,
            p90: any ? ms(h.getValueAtPercentile(90)) : 0,
            p99: any ? ms(h.getValueAtPercentile(99)) : 0,
            max: any ? ms(h.maxValue) : 0,
            acceptanceP99: this.intervalAcceptance.totalCount ? ms(this.intervalAcceptance.getValueAtPercentile(99)) : 0,
            h: any ? encodeHistogram(h) : '',
        });
        this.lastRate = this.interval.completed + this.interval.failed;
        this.interval = emptyCounts();
        h.reset();
        this.intervalAcceptance.reset();
    }
}
//# sourceMappingURL=run-recorder.js.map