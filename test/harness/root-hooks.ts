// Placeholder: replaced by the control-plane harness.
export const mochaHooks = {};
