// Draws styled lines with the theme's role styles. Every line is one <Text> that never
// wraps: lines were laid out to the width beforehand.
import { Text } from 'ink';
import { useTheme } from '../theme/theme-context.js';
import type { Line } from './styled-line.js';

export function StyledLine({ line }: { line: Line }) {
  const theme = useTheme();
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {line.map((s, i) => (
        <Text key={i} {...theme[s.role]}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
