// How much text the operator may write into a RoomBan's status and its Events. The status bounds
// are the CRD's maxLength values (crds/roomban.io_roombans.yaml), which the API server counts in
// Unicode code points; test/api/vendor-rules.test.ts proves the two agree. A value past its bound
// would make every status write fail with 422, so the operator cuts it first.

/** status.users[].message. */
export const MAX_USER_MESSAGE_CHARS = 512;
/** status.users[].requestId. */
export const MAX_REQUEST_ID_CHARS = 128;
/** status.users[].vendorCode. */
export const MAX_VENDOR_CODE_CHARS = 64;
/** Condition messages (metav1 allows 32768; we keep status small and readable). */
export const MAX_CONDITION_MESSAGE_CHARS = 1024;
/** events.k8s.io/v1 rejects a note longer than 1 kB of UTF-8. */
export const MAX_EVENT_MESSAGE_BYTES = 1024;
