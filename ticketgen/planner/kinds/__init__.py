"""One module per ticket kind; each turns the spec index into planned drafts and the blockers they ask for."""
