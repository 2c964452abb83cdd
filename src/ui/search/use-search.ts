// The search's keys: older match, accept into the prompt, leave; typing edits the query.
import type { Action } from '../keys/key-bindings.js';

export type SearchKeyResult = 'older' | 'accept' | 'abort' | 'erase' | 'none';

export function searchKey(action: Action): SearchKeyResult {
  switch (action) {
    case 'search-older':
      return 'older';
    case 'search-accept':
      return 'accept';
    case 'search-abort':
      return 'abort';
    case 'erase-back':
      return 'erase';
    default:
      return 'none';
  }
}
