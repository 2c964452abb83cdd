import { memo } from 'react';
import { StyledLine } from '../text/styled-text.js';
import { statusLine, type StatusLineInput } from './status-line.js';

/** The status bar; redrawn only when what it shows changes. */
export const StatusBar = memo(function StatusBar(props: StatusLineInput) {
  return <StyledLine line={statusLine(props)} />;
});
