/** The signed-in agent doing something to a conversation (as `request.agent` has them). */
export interface ActingAgent {
  id: string;
  name: string;
  role: 'agent' | 'admin';
}
