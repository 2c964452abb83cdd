// Draws styled lines with the theme's role styles. Every line is one <Text> that never
// wraps: lines were laid out to the width beforehand. Neighbouring runs that look the same
// are drawn as one, which keeps the escape codes Ink has to parse on every frame down.
import { Text } from 'ink';
import { useTheme } from '../theme/theme-context.js';
import type { Theme } from '../theme/theme.js';
import type { Line, Segment } from './styled-line.js';

function merged(line: Line, theme: Theme): Segment[] {
  const out: Segment[] = [];
  for (const s of line) {
    if (s.text === '') continue;
    const last = out[out.length - 1];
    if (last && (last.role === s.role || (isPlain(theme, last.role) && isPlain(theme, s.role)))) {
      out[out.length - 1] = { role: last.role, text: last.text + s.text };
    } else {
      out.push(s);
    }
  }
  return out;
}

function isPlain(theme: Theme, role: Segment['role']): boolean {
  return Object.keys(theme[role]).length === 0;
}

export function StyledLine({ line }: { line: Line }) {
  const theme = useTheme();
  const runs = merged(line, theme);
  if (runs.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {runs.map((s, i) => (
        <Text key={i} {...theme[s.role]}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
