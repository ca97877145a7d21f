export * from "./routing.js";
export * from "./guards.js";
export * from "./recommendation-state.js";
export * from "./audit-chain.js";
export * from "./state-machine.js";
