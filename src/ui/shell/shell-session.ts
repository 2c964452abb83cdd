// The part of a Session the shell uses: its public methods and events, nothing else.
import type { Session } from '../../session/session.js';

export type ShellSession = Pick<Session, 'on' | 'call' | 'cancel' | 'connect' | 'state' | 'stats' | 'transport' | 'noteAgentInfo'>;
