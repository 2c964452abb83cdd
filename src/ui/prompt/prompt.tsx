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
}

export function Prompt({ line, width, focus, placeholder }: PromptProps) {
  const theme = useTheme();
  const room = Math.max(8, width - PROMPT_SIGN.length);
  return (
    <Box width={width} height={1}>
      <Text {...(focus ? theme.prompt : theme.muted)}>{PROMPT_SIGN}</Text>
      {line.value === '' && placeholder ? (
        <Text wrap="truncate-end">
          {focus ? <Text {...theme.cursor}> </Text> : null}
          <Text {...theme.muted}>{placeholder}</Text>
        </Text>
      ) : (
        <StyledLine line={promptLine(line, room, focus)} />
      )}
    </Box>
  );
}
