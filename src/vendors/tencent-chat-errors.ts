// The Tencent Chat (REST) error-code table: every row of docs/vendors.md#chat-action (kick_user_out's
// private codes) and docs/vendors.md#chat-answers-and-errors (REST common and account codes), each mapped to an outcome. Codes are
// numeric on the wire and compared as decimal strings. Unknown codes are Terminal (no families
// are documented for Chat): an answer we do not understand needs a human (docs/vendors.md#the-boundary).

import {
  ErrorCodeTable,
  absent,
  resignThenTerminal,
  retryable,
  terminal,
  throttled,
} from './error-table.ts';

export const TENCENT_CHAT_ERRORS = new ErrorCodeTable({
  exact: {
    // docs/vendors.md#chat-answers-and-errors REST common codes.
    '60002': terminal,
    '60003': terminal,
    // identifier or UserSig wrong: regenerate the UserSig once (R ours), then Terminal.
    '60004': resignThenTerminal,
    '60005': resignThenTerminal,
    '60006': terminal,
    '60007': throttled,
    '60008': retryable,
    '60009': terminal,
    '60010': terminal,
    '60011': throttled,
    '60012': terminal,
    '60013': retryable,
    '60014': retryable,
    '60015': terminal,
    '60016': terminal,
    '60017': terminal,
    '60018': throttled,
    '60019': throttled,
    '60020': terminal,
    '60021': terminal,
    '80001': terminal,

    // docs/vendors.md#chat-answers-and-errors account (UserSig) codes.
    '70001': resignThenTerminal,
    '70002': terminal,
    '70003': terminal,
    '70005': terminal,
    '70009': terminal,
    '70013': terminal,
    '70014': terminal,
    '70016': terminal,
    '70020': terminal,
    // Too many failed verifications: the vendor asks to wait at least a minute.
    '70050': { outcome: 'Retryable', minRetryAfterMs: 60_000 },
    '70051': terminal,
    '70052': resignThenTerminal,
    '70107': terminal,
    '70169': retryable,
    '70402': terminal,
    '70403': terminal,
    '70500': retryable,

    // docs/vendors.md#chat-action kick_user_out private codes.
    '100001': retryable,
    '100002': terminal,
    // Room gone / not a member: the goal holds (docs/reconcile.md#contract), subject to the batch re-ask rule.
    '100004': absent,
    '100005': absent,
    '100006': terminal,
  },
  fallback: terminal,
});
