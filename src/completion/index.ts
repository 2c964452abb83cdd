// Completion for the shell: a fuzzy command index, member and value completion from the
// schema, and what the connected agent supports. No UI code here.
export { supportFromGuestInfo } from './agent-support.js';
export { CommandIndex } from './command-index.js';
export { Completer, type CompleterOptions, type MetaCommand } from './complete.js';
export { hostPathCandidates, listHostDir, quoteWord, type DirEntry, type ListDir } from './host-paths.js';
export { choicesFor, describeMember, memberAt, membersOfType, type Choice } from './member-choices.js';
export { splitForCompletion, type LineWord, type SplitLine } from './line-words.js';
export * from './types.js';
