-- A decision's public rationale (SOF §4, docs/domain.md §12): the short summary of its reasons that
-- the body publishes with the segment, written for the public when the decision is recorded. It is
-- distinct from every confidential field (a recommendation's rationale, notes, judgements'
-- words): publication reads this column, never those.
ALTER TABLE decisions ADD COLUMN public_rationale text;
