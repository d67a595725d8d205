// The Tencent Chat (REST) error-code table: every row of docs/vendors.md#chat-action (kick_user_out's
// private codes) and docs/vendors.md#chat-answers-and-errors (REST common and account codes), each mapped to an outcome. Codes are
// numeric on the wire and compared as decimal strings. Unknown codes are Terminal (no families
// are documented for Chat): an answer we do not understand needs a human (docs/vendors.md#the-boundary).

import {
  ErrorCodeTable,
  absent,
  retryable,
  refused,
  resignThenRefused,
  terminal,
  throttled,
} from './error-table.ts';

export const TENCENT_CHAT_ERRORS = new ErrorCodeTable({
  exact: {
    // docs/vendors.md#chat-answers-and-errors REST common codes.
    '60002': terminal,
    '60003': terminal,
    // identifier or UserSig wrong: regenerate the UserSig once (R ours), then Terminal.
    '60004': resignThenRefused,
    '60005': resignThenRefused,
    '60006': refused,
    '60007': throttled,
    '60008': retryable,
    '60009': terminal,
    '60010': refused,
    '60011': throttled,
    '60012': refused,
    '60013': retryable,
    '60014': retryable,
    '60015': terminal,
    '60016': refused,
    '60017': refused,
    '60018': throttled,
    '60019': throttled,
    '60020': refused,
    '60021': refused,
    '80001': terminal,

    // docs/vendors.md#chat-answers-and-errors account (UserSig) codes.
    '70001': resignThenRefused,
    '70002': refused,
    '70003': refused,
    '70005': refused,
    '70009': refused,
    '70013': refused,
    '70014': refused,
    '70016': refused,
    '70020': refused,
    // Too many failed verifications: the vendor asks to wait at least a minute.
    '70050': { outcome: 'Retryable', minRetryAfterMs: 60_000 },
    '70051': refused,
    '70052': resignThenRefused,
    '70107': refused,
    '70169': retryable,
    '70402': terminal,
    '70403': refused,
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
