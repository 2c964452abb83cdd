// The question asked before a command that changes the guest is sent. On a narrow
// terminal the description is cut, never the question or its keys.
import { Box, Text } from 'ink';
import { useTheme } from '../theme/theme-context.js';
import { textWidth, truncate } from '../text/width.js';

export interface ConfirmBarProps {
  command: string;
  change: string;
  width: number;
  /** A shell verb (:put, :freeze...) rather than a command to send. */
  verb?: boolean;
}

export function ConfirmBar({ command, change, width, verb = false }: ConfirmBarProps) {
  const theme = useTheme();
  const question = verb ? 'Run it? ' : 'Send it? ';
  const keys = verb ? 'y runs · n or Esc does nothing' : 'y sends · n or Esc keeps it unsent';
  const room = width - textWidth(`! ${command} `) - textWidth(`. ${question}${keys}`);
  const shown = room >= 12 ? truncate(change, room) : change;
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text {...theme.warn}>! </Text>
        <Text {...theme.accent}>{command}</Text>
        <Text {...theme.warn}> {shown}{shown.endsWith('…') ? ' ' : '. '}</Text>
        <Text bold>{question}</Text>
        <Text {...theme.muted}>{keys}</Text>
      </Text>
    </Box>
  );
}
