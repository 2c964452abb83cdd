import { StyledLine } from '../text/styled-text.js';
import { statusLine, type StatusLineInput } from './status-line.js';

export function StatusBar(props: StatusLineInput) {
  return <StyledLine line={statusLine(props)} />;
}
