// The question asked before a command that changes the guest is sent.
import { Box, Text } from 'ink';
import { useTheme } from '../theme/theme-context.js';

export interface ConfirmBarProps {
  command: string;
  change: string;
  width: number;
  /** A shell verb (:put, :freeze...) rather than a command to send. */
  verb?: boolean;
}

export function ConfirmBar({ command, change, width, verb = false }: ConfirmBarProps) {
  const theme = useTheme();
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text {...theme.warn}>! </Text>
        <Text {...theme.accent}>{command}</Text>
        <Text {...theme.warn}> {change}. </Text>
        <Text bold>{verb ? 'Run it? ' : 'Send it? '}</Text>
        <Text {...theme.muted}>{verb ? 'y runs · n or Esc does nothing' : 'y sends · n or Esc keeps it unsent'}</Text>
      </Text>
    </Box>
  );
}
