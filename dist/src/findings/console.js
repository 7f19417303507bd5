import { runSentences } from './sentences.js';
/** The sentences for a terminal: a heading and one wrapped paragraph each, warnings marked. */
export function sentencesText(result, sentences = runSentences(result), heading = 'What this run shows', width = 100) {
    if (sentences.length === 0)
        return '';
    const lines = [`${heading}:`];
    for (const s of sentences)
        lines.push(...wrap(`${s.kind === 'warning' ? '! ' : '- '}${s.text}`, width, '  '));
    return `${lines.join('\n')}\n`;
}
function wrap(text, width, indent) {
    const out = [];
    let line = '';
    for (const word of text.split(' ')) {
        if (line && line.length + 1 + word.length > width) {
            out.push(line);
            line = indent + word;
        }
        else
            line = line ? `${line} ${word}` : word;
    }
    if (line)
        out.push(line);
    return out;
}
//# sourceMappingURL=console.js.map