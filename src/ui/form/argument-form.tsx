// The argument form for one command, generated from the schema.
import { Box } from 'ink';
import { StyledLine } from '../text/styled-text.js';
import { formLines } from './form-rows.js';
import type { FormState } from './use-form-state.js';

export interface ArgumentFormProps {
  state: FormState;
  width: number;
  maxRows: number;
}

export function ArgumentForm({ state, width, maxRows }: ArgumentFormProps) {
  const lines = formLines(state, width, maxRows).slice(0, maxRows);
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, i) => (
        <StyledLine key={i} line={line} />
      ))}
    </Box>
  );
}
