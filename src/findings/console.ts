import type { Result } from '../result/schema.js';
import { runSentences, type Sentence } from './sentences.js';

/** The sentences for a terminal: a heading and one wrapped paragraph each, warnings marked. */
export function sentencesText(result: Result, sentences: Sentence[] = runSentences(result), heading = 'What this run shows', width = 100): string {
  if (sentences.length === 0) return '';
  const lines = [`${heading}:`];
  for (const s of sentences) lines.push(...wrap(`${s.kind === 'warning' ? '! ' : '- '}${s.text}`, width, '  '));
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
