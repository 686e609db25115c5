/** Size limits of the chat domain; the HTTP body limit sits above these. */
export interface ChatLimits {
  maxTextLength: number;
  maxClientMsgIdLength: number;
  defaultChangesLimit: number;
  maxChangesLimit: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  maxTextLength: 4000,
  maxClientMsgIdLength: 128,
  defaultChangesLimit: 100,
  maxChangesLimit: 1000,
};
