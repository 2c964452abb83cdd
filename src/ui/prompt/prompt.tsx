// The command line: a prompt sign and the line being edited.
import { Box, Text } from 'ink';
import { StyledLine } from '../text/styled-text.js';
import { useTheme } from '../theme/theme-context.js';
import type { LineValue } from '../text/line-edit.js';
import { promptLine } from './prompt-line.js';

export const PROMPT_SIGN = 'qga› ';

export interface PromptProps {
  line: LineValue;
  width: number;
  focus: boolean;
  /** Shown dimmed in place of an empty line. */
  placeholder?: string;
  /** A verb is running: the sign shows it, and an empty line says what runs. */
  busy?: string;
}

export const BUSY_SIGN = 'qga⋯ ';

export function Prompt({ line, width, focus, placeholder, busy }: PromptProps) {
  const theme = useTheme();
  const room = Math.max(8, width - PROMPT_SIGN.length);
  const hint = busy ?? placeholder;
  return (
    <Box width={width} height={1}>
      <Text {...(busy ? theme.busy : focus ? theme.prompt : theme.muted)}>{busy ? BUSY_SIGN : PROMPT_SIGN}</Text>
      {line.value === '' && hint ? (
        <Text wrap="truncate-end">
          {focus ? <Text {...theme.cursor}> </Text> : null}
          <Text {...(busy ? theme.busy : theme.muted)}>{hint}</Text>
        </Text>
      ) : (
        <StyledLine line={promptLine(line, room, focus)} />
      )}
    </Box>
  );
}
