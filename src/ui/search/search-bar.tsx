// Replaces the prompt during Ctrl+R: the query and the line it finds.
import { Box, Text } from 'ink';
import { useTheme } from '../theme/theme-context.js';
import { truncate } from '../text/width.js';
import { maskSecrets } from '../prompt/prompt-line.js';

export interface SearchBarProps {
  query: string;
  match: string | undefined;
  width: number;
}

export function SearchBar({ query, match, width }: SearchBarProps) {
  const theme = useTheme();
  const head = `search: ${query}`;
  const room = Math.max(0, width - head.length - 4);
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text {...theme.prompt}>search: </Text>
        <Text>{query}</Text>
        <Text {...theme.cursor}> </Text>
        <Text {...theme.muted}> → </Text>
        {match === undefined ? <Text {...theme.warn}>{query ? 'no match' : 'type to search history'}</Text> : <Text {...theme.accent}>{truncate(maskSecrets(match), room)}</Text>}
      </Text>
    </Box>
  );
}
