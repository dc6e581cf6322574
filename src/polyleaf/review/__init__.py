"""Clinical review: records bound to content digests, their state, approvals, interop."""
