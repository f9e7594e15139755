"""Exchange formats and the CAT tools that read them (OmegaT projects, TMX, XLIFF, TBX)."""
