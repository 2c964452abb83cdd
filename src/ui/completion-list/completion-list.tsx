// The fuzzy completion list under the prompt.
import { Box } from 'ink';
import type { Completion } from '../../completion/types.js';
import { StyledLine } from '../text/styled-text.js';
import { completionRows } from './completion-rows.js';

export interface CompletionListProps {
  completion: Completion;
  selected: number;
  maxRows: number;
  width: number;
}

export function CompletionList({ completion, selected, maxRows, width }: CompletionListProps) {
  const rows = completionRows(completion, selected, maxRows, width);
  return (
    <Box flexDirection="column" width={width}>
      {rows.map((line, i) => (
        <StyledLine key={i} line={line} />
      ))}
    </Box>
  );
}
