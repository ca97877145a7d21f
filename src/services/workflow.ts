/**
 * The oversight workflow's use cases (DOMAIN §6, §7, §12), one per file, gathered for callers:
 *
 * - recommendations/ — create, submit or withdraw, consider, decide (record-decision.ts); read;
 * - segments/ — the segment history, the segment in effect, adoption at onboarding;
 * - notes/ — add, change and list notes.
 *
 * Every write is a command (kernel/command.ts): authorised, run in one audited transaction, and
 * refused with the current state when the version it names is stale.
 */
export type {
  ConsiderationRecord,
  DecisionRecord,
  RecommendationRecord,
} from "../store/recommendations.js";
export type { AssessmentSnapshot, SegmentHistoryEntry } from "../store/segment-history.js";
export type { NoteRecord } from "../store/notes.js";
export {
  createRecommendation,
  NewRecommendation,
} from "./recommendations/create-recommendation.js";
export {
  RecommendationAtVersion,
  submitRecommendation,
  submitRecommendationCommand,
  withdrawRecommendation,
  withdrawRecommendationCommand,
} from "./recommendations/change-recommendation-state.js";
export {
  considerRecommendation,
  NewConsideration,
} from "./recommendations/consider-recommendation.js";
export { consideredFirstBy, listConsiderations } from "./recommendations/considerations.js";
export {
  decide,
  DecisionRefusedError,
  NewDecision,
  type DecisionResult,
} from "./recommendations/record-decision.js";
export {
  getRecommendation,
  listRecommendations,
  type RecommendationFilters,
} from "./recommendations/read-recommendation.js";
export { listDecisions, type DecisionFilters } from "./recommendations/list-decisions.js";
export { adoptSegmentation } from "./segments/adopt-segmentation.js";
export { currentSegment, segmentHistory, segmentOn } from "./segments/read-segments.js";
export { addNote, NewNote } from "./notes/add-note.js";
export { NoteChange, updateNote, updateNoteCommand } from "./notes/update-note.js";
export { listNotes } from "./notes/list-notes.js";
