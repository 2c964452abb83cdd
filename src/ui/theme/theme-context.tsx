import { createContext, useContext } from 'react';
import { THEMES, type Theme } from './theme.js';

export const ThemeContext = createContext<Theme>(THEMES.dark);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
